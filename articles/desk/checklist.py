"""
The checks an editor runs before publishing, on the article form's values as they are.

``review()`` takes the values (saved or being typed) and answers each check as passed,
a warning (worth a look, never blocking) or an error (the rules that refuse a save or a
publication today: those live in the article form and the model, and are only reported
here). It also shows the article as a search result and as a social card would.
"""

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.translation import gettext, ngettext

from articles.blocks import pictures as body_pictures
from articles.markdown import pictures_without_text, render_markdown
from articles.models import Article

OK, WARNING, ERROR = "ok", "warning", "error"

# Past these a search result cuts the headline and the description short.
HEADLINE_CHARS = 70
SEARCH_TITLE_CHARS = 60
SEARCH_DESCRIPTION_CHARS = 160
# Past this a social card cuts the standfirst (its description) short.
STANDFIRST_CHARS = 200
# Links checked against the archive, at most: a body may hold thousands.
MAX_CHECKED_LINKS = 100


@dataclass
class Check:
    name: str
    level: str
    message: str
    details: list = field(default_factory=list)


@dataclass
class Checklist:
    checks: list
    search: dict
    card: dict

    @property
    def errors(self):
        return [check for check in self.checks if check.level == ERROR]

    @property
    def warnings(self):
        return [check for check in self.checks if check.level == WARNING]


def review(values):
    """
    The checklist of an article's ``values``: ``title``, ``slug``, ``standfirst``,
    ``body``, ``dateline``, ``tag_names``, ``quotes`` (each a dict with ``speaker``, an
    id or None, and ``text``), ``lead_image`` (whether it has one), ``lead_image_alt``,
    ``picture`` (its renditions, as ``Article.lead_picture``), ``url`` (its address) and
    ``public_url`` (the address readers know it by now, if they can see it).
    """
    values = {**DEFAULTS, **values}
    links = linked_urls(render_markdown(values["body"]))
    checks = [
        headline(values["title"]),
        address(values["slug"], values["url"], values["public_url"]),
        standfirst(values["standfirst"]),
        alt_text(values),
        tags(values["tag_names"]),
        quotes(values["quotes"]),
        internal_links(links),
        repeated_links(links),
        dateline(values["dateline"]),
        social_card(values),
    ]
    return Checklist(checks=checks, search=search_result(values), card=card(values))


DEFAULTS = {
    "title": "", "slug": "", "standfirst": "", "body": "", "dateline": "", "tag_names": [],
    "quotes": [], "lead_image": False, "lead_image_alt": "", "picture": None, "url": "",
    "public_url": None,
}  # fmt: skip


def headline(title):
    title = title.strip()
    if not title:
        return Check("headline", ERROR, gettext("A published article needs a headline."))
    if len(title) > HEADLINE_CHARS:
        return Check(
            "headline",
            WARNING,
            gettext(
                "The headline has %(count)s characters: past %(limit)s, search results cut it "
                "short."
            )
            % {"count": len(title), "limit": HEADLINE_CHARS},
        )
    return Check("headline", OK, gettext("Headline: %(count)s characters.") % {"count": len(title)})


def address(slug, url, public_url):
    if not slug.strip():
        return Check("slug", ERROR, gettext("A published article needs a slug (its address)."))
    if public_url and url != public_url:
        # Never refused: the address it leaves is kept (see ArticleAddress).
        return Check(
            "slug",
            WARNING,
            gettext(
                "The address changes from %(old)s to %(new)s. The old address will redirect here."
            )
            % {"old": public_url, "new": url},
        )
    return Check("slug", OK, gettext("Address: %(url)s") % {"url": url})


def standfirst(text):
    text = text.strip()
    if not text:
        return Check("standfirst", ERROR, gettext("A published article needs a standfirst."))
    if len(text) > STANDFIRST_CHARS:
        return Check(
            "standfirst",
            WARNING,
            gettext(
                "The standfirst has %(count)s characters: past %(limit)s, social cards cut it "
                "short (search results show about %(search)s)."
            )
            % {"count": len(text), "limit": STANDFIRST_CHARS, "search": SEARCH_DESCRIPTION_CHARS},
        )
    return Check(
        "standfirst", OK, gettext("Standfirst: %(count)s characters.") % {"count": len(text)}
    )


def alt_text(values):
    if values["lead_image"] and not values["lead_image_alt"].strip():
        return Check("alt-text", ERROR, gettext("The lead image needs alt text."))
    if library := body_pictures.without_alt(values["body"]):
        return Check("alt-text", ERROR, body_pictures.without_alt_message(library))
    missing = pictures_without_text(values["body"])
    if missing:
        return Check(
            "alt-text",
            WARNING,
            ngettext(
                "%(count)s picture in the body has no text (![text](address)): readers see "
                "nothing of it.",
                "%(count)s pictures in the body have no text (![text](address)): readers see "
                "nothing of it.",
                missing,
            )
            % {"count": missing},
        )
    return Check("alt-text", OK, gettext("Every picture has alt text."))


def tags(names):
    if not names:
        return Check("tags", ERROR, gettext("A published article needs at least one tag."))
    return Check("tags", OK, gettext("Tagged: %(tags)s.") % {"tags": ", ".join(names)})


def quotes(rows):
    unattributed = [
        number for number, row in enumerate(rows, 1) if row["text"].strip() and not row["speaker"]
    ]
    if unattributed:
        which = ", ".join(str(number) for number in unattributed)
        return Check(
            "quotes",
            ERROR,
            gettext("Every quote needs its speaker: quote %(which)s has none.") % {"which": which},
        )
    return Check(
        "quotes", OK, gettext("Every quote is attributed.") if rows else gettext("No quotes.")
    )


def internal_links(urls):
    broken = broken_links(urls)
    if broken:
        return Check(
            "links",
            WARNING,
            ngettext(
                "%(count)s link to this site lead nowhere a reader can go.",
                "%(count)s links to this site lead nowhere a reader can go.",
                len(broken),
            )
            % {"count": len(broken)},
            details=[f"{url}: {problem}" for url, problem in broken],
        )
    return Check("links", OK, gettext("Links to this site lead to published articles."))


def repeated_links(urls):
    seen, repeated = set(), []
    for url in urls:
        if url in seen and url not in repeated:
            repeated.append(url)
        seen.add(url)
    if repeated:
        return Check(
            "repeated-links",
            WARNING,
            ngettext(
                "%(count)s address linked more than once.",
                "%(count)s addresses linked more than once.",
                len(repeated),
            )
            % {"count": len(repeated)},
            details=repeated,
        )
    return Check("repeated-links", OK, gettext("No address is linked twice."))


def dateline(text):
    if not text.strip():
        return Check(
            "dateline", WARNING, gettext("No dateline: say where the story was filed from.")
        )
    return Check("dateline", OK, gettext("Dateline: %(dateline)s.") % {"dateline": text.strip()})


def social_card(values):
    if not values["picture"]:
        return Check(
            "social-card",
            WARNING,
            gettext("No lead image: shared links show a small card without one."),
        )
    return Check("social-card", OK, gettext("Shared links show the lead image, cropped as below."))


# What search engines and social networks show.


def search_result(values):
    path = values["url"]
    host = urlsplit(settings.SITE_URL).netloc
    return {
        "title": cut(values["title"].strip(), SEARCH_TITLE_CHARS),
        "url": " › ".join([host, *(part for part in path.split("/") if part)]),
        "description": cut(values["standfirst"].strip(), SEARCH_DESCRIPTION_CHARS),
    }


def card(values):
    picture = values["picture"]
    return {
        "title": values["title"].strip(),
        "description": cut(values["standfirst"].strip(), STANDFIRST_CHARS),
        "image": picture["social"] if picture else None,
        "image_alt": values["lead_image_alt"],
        "site": urlsplit(settings.SITE_URL).netloc,
    }


def cut(text, limit):
    """``text`` cut as a search result cuts it: at a word, before ``limit`` characters."""
    if len(text) <= limit:
        return text
    shortened = text[: limit - 1]
    if " " in shortened:
        shortened = shortened.rsplit(" ", 1)[0]
    return shortened.rstrip(" ,;:.–—-") + "…"


# Links.


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.urls.append(href)


def linked_urls(html):
    """Every link's address in rendered (sanitized) ``html``, in order."""
    parser = LinkParser()
    parser.feed(html)
    parser.close()
    return parser.urls


def site_path(url):
    """The path of ``url`` if it is an address on this site (absolute or from the root)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc == urlsplit(settings.SITE_URL).netloc:
        return parts.path or "/"
    if not parts.scheme and not parts.netloc and url.startswith("/"):
        return parts.path
    return None


def broken_links(urls):
    """
    The links in ``urls`` to this site that lead nowhere a reader can go, each with why:
    no page at that address, no such article, or an article not published (yet).
    """
    wanted, broken = {}, []
    for url in dict.fromkeys(urls):
        path = site_path(url)
        if path is None or path.startswith(files_prefixes()):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            broken.append((url, gettext("there is no page at this address")))
            continue
        if match.view_name == "articles:article":
            wanted[url] = match.kwargs
        if len(wanted) >= MAX_CHECKED_LINKS:
            break
    return broken + [(url, problem) for url, problem in article_problems(wanted).items()]


def files_prefixes():
    """Addresses of pictures and static files: served by the storage, not the URL patterns."""
    return tuple("/" + prefix.lstrip("/") for prefix in (settings.MEDIA_URL, settings.STATIC_URL))


def article_problems(wanted):
    """Which of the article addresses ``wanted`` (url → its URL's kwargs) no reader can open."""
    if not wanted:
        return {}
    slugs = {kwargs["slug"] for kwargs in wanted.values()}
    public = {}
    for day, slug in (
        Article.objects.published(language=None)
        .filter(slug__in=slugs)
        .values_list("publication_date", "slug")
    ):
        public.setdefault(slug, set()).add(day)
    written = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    problems = {}
    for url, kwargs in wanted.items():
        slug, day = kwargs["slug"], url_date(kwargs)
        if day in public.get(slug, ()):
            continue
        if slug in public:
            days = ", ".join(sorted(f"{d:%-d %B %Y}" for d in public[slug]))
            problems[url] = gettext("that article was published on %(days)s, not on that day") % {
                "days": days
            }
        elif slug in written:
            problems[url] = gettext("that article is not published")
        else:
            problems[url] = gettext("there is no such article")
    return problems


def url_date(kwargs):
    try:
        return datetime.date(kwargs["year"], kwargs["month"], kwargs["day"])
    except (ValueError, OverflowError):
        return None
