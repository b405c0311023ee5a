"""
The same page in the site's other languages: the language switcher in the header and the
``hreflang`` alternates in the head.

A page other than an article is at the same path under each language's prefix
(``/tags/ukraine/``, ``/fr/tags/ukraine/``): a list or the front page exists in every
language of the site, the page of a tag, an event or a speaker where it is on a public
article of that language. An article exists in its own language and in those of its
public translations. Where a page does not exist, the switcher sends a reader to that
language's front page. On a site of one language there is nothing to switch to: nothing
is computed and nothing is asked.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import get_script_prefix

from articles import languages, listings
from articles.addresses import dated_article_url
from articles.structured_data import absolute


@dataclass(frozen=True)
class Version:
    """The page in one language: where it is, and whether it is the one being read."""

    code: str
    url: str
    exists: bool = True

    @property
    def name(self):
        return languages.name(self.code)

    @property
    def is_current(self):
        return self.code == languages.current()

    @property
    def absolute_url(self):
        return absolute(self.url)


@dataclass(frozen=True)
class Alternates:
    """
    ``versions``: one per site language, in the site's order (the switcher's links);
    ``x_default``: the address for a reader of no language of the page.
    """

    versions: list
    x_default: str | None

    @property
    def hreflang(self):
        """The versions that exist: the ``<link rel="alternate" hreflang>`` of the page."""
        return [version for version in self.versions if version.exists]


def unprefixed(path):
    """``path`` (without the script prefix) with the current language's prefix taken off."""
    return path.removeprefix(languages.prefix(languages.current())) or "/"


def of_path(request):
    """The alternates of a page that exists in every language: the same path under each."""
    if not languages.is_multilingual():
        return None
    return _same_path(request, set(languages.codes()))


def of_subject(request, subjects):
    """
    The alternates of a page on ``subjects`` (a tag, an event or a speaker; several tags;
    a list filtered by some of them), which exists in a language where each of them is
    on a public article of it (``listings.languages_of()``): the same path in those
    languages, and the front page of the others, as for an untranslated article. One
    query; none on a site of one language.
    """
    if not languages.is_multilingual():
        return None
    current = languages.current()
    others = [code for code in languages.codes() if code != current]
    return _same_path(request, {current, *listings.languages_of(subjects, others)})


def _same_path(request, public):
    """
    The same path in each of the ``public`` languages, and the front page of the others.
    Past a list's first page, the other languages' links lead to their first page, and
    are no alternates: their lists are not the same length.
    """
    script_prefix = get_script_prefix().rstrip("/")
    path = unprefixed(request.path_info)
    query = request.META.get("QUERY_STRING", "")
    # Not int(): a page number of 5,000 digits is past what int() reads, and this runs on
    # every page, paginated or not.
    paged = request.GET.get("page", "").lstrip("0") not in ("", "1")
    if paged:
        elsewhere = request.GET.copy()
        elsewhere.pop("page")
        elsewhere = elsewhere.urlencode()
    else:
        elsewhere = query
    current = languages.current()
    versions = []
    for code in languages.codes():
        here = f"{script_prefix}{languages.prefix(code)}"
        if code == current:
            versions.append(Version(code, f"{here}{path}{_query(query)}"))
        elif code in public:
            versions.append(Version(code, f"{here}{path}{_query(elsewhere)}", exists=not paged))
        else:
            versions.append(Version(code, f"{here}/", exists=False))
    first = versions[0]
    x_default = first.absolute_url if first.exists and not paged else None
    return Alternates(versions, x_default)


def _query(query):
    return f"?{query}" if query else ""


def of_error_page():
    """
    The alternates of an error page (400, 404): no ``hreflang`` (the page is no page of
    the site in any language), and a switcher to each language's front page, since the
    same address in another language is as unlikely to exist. None on a site of one.
    """
    if not languages.is_multilingual():
        return None
    script_prefix = get_script_prefix().rstrip("/")
    versions = [
        Version(code, f"{script_prefix}{languages.prefix(code)}/", exists=False)
        for code in languages.codes()
    ]
    return Alternates(versions, None)


def of_article(article):
    """
    The alternates of ``article``'s page: the article and its group's public translations
    (the original and each translation of it), read in one query; the front page of a
    language it is not published in. None on a site of one language (no query).
    """
    if not languages.is_multilingual():
        return None
    from articles.models import Article

    original_id = article.translation_of_id or article.pk
    group = (
        Article.objects.published(language=None)
        .filter(Q(pk=original_id) | Q(translation_of_id=original_id))
        .values_list("pk", "language", "publication_date", "published_at", "slug")
    )
    found = {}
    x_default = None
    for pk, language, publication_date, published_at, slug in group:
        url = dated_article_url(publication_date, published_at, slug, language)
        found[language] = url
        if pk == original_id:
            x_default = absolute(url)
    script_prefix = get_script_prefix().rstrip("/")
    versions = [
        Version(code, found[code])
        if code in found
        else Version(code, f"{script_prefix}{languages.prefix(code)}/", exists=False)
        for code in languages.codes()
    ]
    return Alternates(versions, x_default)
