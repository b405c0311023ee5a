"""
The parts of public pages that change only when an article changes, rendered once.

An article's card in lists, and on its own page the <head> tags and the story (body,
quotes, corrections, tags, events, JSON-LD), show nothing but the article and the names
of what it links to. They are rendered the first time a reader asks for them and kept in
``ArticleRendering``; a page then assembles stored parts and only what depends on other
articles (“More on this”, the list itself) is read afresh.

Never older than the last edit: every change a part shows raises the rendering's
``generation`` and empties it, in the same transaction as the change (``stale()``, called
from the signals and from the few writes that send none). A reader stores what it
rendered only if the generation is still the one it read before rendering (``store()``),
so a rendering begun before an edit can never be kept after it. Parts rendered by other
templates or settings (``VERSION``) count as not rendered.

A reader never waits on this: if a part cannot be stored, the page is served as rendered.
"""

import contextlib
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import override

from articles import languages, structured_data
from articles.invalidation import article_keys
from articles.live.pages import live_of
from articles.live.structured_data import live_blog_posting
from articles.models import Article, ArticleRendering, TagProfile

logger = logging.getLogger(__name__)

# What the parts are made with besides the article: change any, and every part renders anew.
# The whole app's code, every template and every catalogue of the interface's text (a
# link's address, a label, the order of links: any may show in a part), and the settings
# that make addresses and dates.
SETTINGS = [
    "SITE_URL", "SITE_NAME", "MEDIA_URL", "TIME_ZONE", "LANGUAGE_CODE", "LANGUAGES",
    "LIVE_POLL_SECONDS",
]  # fmt: skip
SETTINGS_OF_URLS = ["ROOT_URLCONF", "FORCE_SCRIPT_NAME"]

EMPTIED = {"card": "", "head": "", "page": "", "keys": ""}


def version():
    """A digest of the code, templates and settings the parts are rendered with."""
    digest = hashlib.sha256(django.get_version().encode())
    app = Path(__file__).resolve().parent
    template_dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    catalogues = [(Path(d), "*.po") for d in settings.LOCALE_PATHS]
    for folder, pattern in [(app, "*.py"), *((d, "*.*") for d in template_dirs), *catalogues]:
        for path in sorted(folder.rglob(pattern)):
            if "migrations" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    names = SETTINGS + SETTINGS_OF_URLS
    digest.update(repr([getattr(settings, name, None) for name in names]).encode())
    digest.update(repr(public_storage_settings()).encode())
    return digest.hexdigest()[:32]


def public_storage_settings():
    """Where pictures are served from: the storage's settings, without its credentials."""
    storage = settings.STORAGES.get("default", {})
    options = storage.get("OPTIONS", {})
    secret = ("key", "secret", "password", "token")
    return (
        storage.get("BACKEND"),
        sorted((k, repr(v)) for k, v in options.items() if not any(s in k.lower() for s in secret)),
    )


VERSION = version()


# Invalidation ------------------------------------------------------------------------------


def stale(**lookups):
    """
    Every stored part of the articles matching ``lookups`` (``pk__in=[...]``,
    ``tags=tag``...) is out of date: empty it and raise its generation. Call inside the
    transaction making the change.
    """
    ArticleRendering.objects.filter(
        article__in=Article.objects.filter(**lookups).values("pk")
    ).update(generation=F("generation") + 1, **EMPTIED)


# How articles name a tag, person or event, whose name their stored parts show.
NAMED_IN = {"Tag": "tagged_items__tag", "Person": "quotes__speaker", "Event": "event_links__event"}


def stale_naming(obj):
    """Every stored part naming ``obj`` (a tag, person or event) is out of date."""
    stale_and_again_on_commit(**{NAMED_IN[type(obj).__name__]: obj})


def stale_and_again_on_commit(**lookups):
    """
    ``stale(**lookups)`` now, and once more when the transaction commits: for a change
    to a name many articles show. An article linked to the name by another editor while
    this transaction was open was not among those it found (on PostgreSQL it sees only
    what was committed when it looked), and a reader may have stored that article's page,
    with the old name, between the other editor's commit and this one. The second pass,
    after the commit, finds it.
    """
    stale(**lookups)
    transaction.on_commit(lambda: stale(**lookups), robust=True)


def everything_stale():
    """After writes that sent no signals: nothing stored is trusted any more."""
    ArticleRendering.objects.update(generation=F("generation") + 1, **EMPTIED)


def ensure_rendering(article_ids):
    """
    A row for each article that has none (articles written in bulk, or before parts were
    kept), empty. Nothing rendered before the row existed is stored: a change made
    meanwhile could not have emptied a row that was not there.
    """
    ArticleRendering.objects.bulk_create(
        [ArticleRendering(article_id=pk) for pk in article_ids], ignore_conflicts=True
    )


# Reading and storing --------------------------------------------------------------------------


@dataclass
class Stored:
    """An article's rendering as read with it: ``generation`` None if it had no row."""

    generation: int | None
    version: str
    card: str
    head: str
    page: str
    keys: str

    FIELDS = ["generation", "version", "card", "head", "page", "keys"]

    def part(self, name):
        """A part's stored HTML, or None if it must be rendered."""
        value = getattr(self, name)
        return value if value and self.version == VERSION else None


def with_rendering(articles, parts=("card",)):
    """``articles`` with their stored ``parts`` (and the generation) read in the same query."""
    return articles.annotate(
        **{f"rendering_{name}": F(f"rendering__{name}") for name in ("generation", "version")},
        **{f"rendering_{name}": F(f"rendering__{name}") for name in parts},
    )


def stored(article):
    """The rendering read by ``with_rendering()`` for ``article`` (as if none, if not read)."""
    return Stored(**{name: getattr(article, f"rendering_{name}", None) for name in Stored.FIELDS})


def store(renderings):
    """
    Keep newly rendered parts, in one query however many: ``renderings`` maps each
    article's ``Stored`` as read to the parts rendered for it. A row takes its parts only
    if nothing changed the article since it was read (same generation); parts of another
    version are emptied.
    """
    missing = [pk for pk, (was, _) in renderings.items() if was.generation is None]
    kept = {pk: (was, parts) for pk, (was, parts) in renderings.items() if pk not in missing}
    unchanged = Q()
    for pk, (was, _) in kept.items():
        unchanged |= Q(article_id=pk, generation=was.generation, version=was.version)
    values = {"version": Value(VERSION)}
    for field in EMPTIED:
        whens = [
            When(article_id=pk, then=Value(parts[field]))
            for pk, (_, parts) in kept.items()
            if field in parts
        ]
        older = [
            pk for pk, (was, parts) in kept.items() if field not in parts and was.version != VERSION
        ]
        if older:
            whens.append(When(article_id__in=older, then=Value("")))
        if whens:
            values[field] = Case(*whens, default=F(field), output_field=TextField())
    connection = connections[router.db_for_write(ArticleRendering)]
    try:
        with waiting_briefly(connection), transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = {STORE_WAIT_MS}")
            if missing:
                ensure_rendering(missing)
            if kept:
                ArticleRendering.objects.filter(unchanged).update(**values)
    except DatabaseError:
        # A database that is busy with a write, read-only or failing costs the next reader
        # a rendering, not this one a page, nor a wait.
        logger.info("Rendered parts of articles %s not stored", sorted(renderings), exc_info=True)


# Storing parts is worth no reader's wait: while a write holds the database (SQLite) or
# the rows (PostgreSQL), a reader gives up storing after this long, not the usual timeout.
STORE_WAIT_MS = 100


@contextlib.contextmanager
def waiting_briefly(connection):
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (usual,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {STORE_WAIT_MS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")


# Cards ------------------------------------------------------------------------------------


def attach_cards(articles):
    """
    ``articles`` (a list, read ``with_rendering()`` and ``listed_tags()`` when needed),
    each with ``card``: its stored card, or one rendered now and stored.
    """
    rendered = {}
    for article in articles:
        was = stored(article)
        card = was.part("card")
        if card is None:
            card = render_card(article)
            rendered[article.pk] = (was, {"card": card})
        article.card = mark_safe(card)  # rendered here, by the card's template
    if rendered:
        store(rendered)
    return articles


def in_article_language(article):
    """
    Parts are stored once for every reader, so they are rendered in the article's language
    (its labels, the month in its dates), never in that of the reader who happened to ask
    first.
    """
    return override(article.language)


def render_card(article):
    with in_article_language(article):
        return render_to_string("articles/parts/card.html", {"article": article})


# Article pages ----------------------------------------------------------------------------


@dataclass
class Page:
    head: str
    page: str
    keys: list
    tag_ids: list
    event_ids: list


def article_page(article):
    """
    The stored head and story of ``article`` (read with its stored parts, as
    ``with_rendering(parts=PAGE_PARTS)`` or ``listings.public_article()`` read them), or
    both rendered now, from the article and its relations, and stored.
    """
    was = stored(article)
    head, page = was.part("head"), was.part("page")
    if head is not None and page is not None and was.keys:
        return page_from_keys(head, page, was.keys.split())
    # Read again in full, and public still: unpublished since the first read, it is not shown.
    full = (
        Article.objects.published()
        .with_public_relations()
        .prefetch_related("corrections")
        .select_related("live")
        .filter(pk=article.pk)
        .first()
    )
    if full is None:
        raise Http404("No such article.")
    head, page = render_page(full)
    keys = sorted(article_keys(full))
    store({article.pk: (was, {"head": head, "page": page, "keys": " ".join(keys)})})
    return page_from_keys(head, page, keys)


PAGE_PARTS = ("head", "page", "keys")


def page_from_keys(head, page, keys):
    def ids(kind):
        return [int(key.removeprefix(kind)) for key in keys if key.startswith(kind)]

    # Rendered by the page's templates, here or when stored.
    return Page(
        mark_safe(head), mark_safe(page), keys, tag_ids=ids("tag-"), event_ids=ids("event-")
    )


def preview_page(article):
    """The parts of an article not yet public (prefetched relations), rendered, not stored."""
    return page_from_keys(*render_page(article), sorted(article_keys(article)))


def render_page(article):
    """(head, story) of an article with its public relations prefetched, in its language."""
    with in_article_language(article):
        if article.language != languages.default():
            with_tag_profiles(article)
        return _render_page(article)


def with_tag_profiles(article):
    """
    The profiles of ``article``'s prefetched tags, read in one query, where the tags'
    names in its language are found.
    """
    tags = list(article.tags.all())
    profiles = {p.tag_id: p for p in TagProfile.objects.filter(tag__in=[t.pk for t in tags])}
    for tag in tags:
        tag._state.fields_cache["profile"] = profiles.get(tag.pk)


def _render_page(article):
    live = live_of(article)  # covered live: its updates are part of the story
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "article": article,
        "live": live,
        "canonical_url": structured_data.absolute(article.get_absolute_url()),
        "jsonld": live_blog_posting(article, live)
        if live
        else structured_data.news_article(article),
        "social_image": structured_data.social_image(article),
    }
    with in_article_language(article):
        return (
            render_to_string("articles/parts/head.html", context),
            render_to_string("articles/parts/page.html", context),
        )
