"""
Lists of published articles (the front page, a tag, /articles/ with its filters, the
feeds) and the other lists of public pages (an event's coverage, a speaker's quotes,
search results, facets, topics, upcoming events), read in a few plain statements.

A list page shows a page of articles in order of publication, how many there are, and
what narrows them down: the tags, events and people most common among the newest of
them. Each is one statement here, written out once. Built with the ORM, the same
statements took three times as long to build as the database took to answer them, on
every view of every list; and the ORM's plan (every article of the archive tested for
the tag, newest first) read the whole archive to count a tag on fifty articles.

A selection starts from the side of the index that narrows it most: a tag's taggings
(``tag_id, article``), an event's links or a speaker's quotes, newest article first, and
only then looks at the articles themselves. Counting stops at a thousand (“1000+
articles”), and the facets are counted over the ``SAMPLE`` newest, so that a tag on
sixty thousand articles costs no more than one on sixty.
"""

import datetime
import functools
import json
import math
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db import connections, router
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles import fragments, languages
from articles.addresses import dated_article_url, event_url
from articles.live.models import LiveCoverage
from articles.models import (
    Article,
    ArticleEvent,
    ArticleRendering,
    Event,
    Person,
    Quote,
    TaggedArticle,
    TagProfile,
)
from articles.querysets import ListedTag, TranslatedRow, listed_tags

# How many of the newest articles of a list the facets are counted over.
SAMPLE = 200
# Under this many articles a selection is put in order from its own index (see in_order()).
FEW = 1000
# How far the sides of a selection (two tags, say) are counted to choose the narrowest.
SIDE_COUNT = 20_000

ARTICLES = Article._meta.db_table
RENDERINGS = ArticleRendering._meta.db_table
TAGGINGS = TaggedArticle._meta.db_table
LINKS = ArticleEvent._meta.db_table
QUOTES = Quote._meta.db_table
TAGS = TaggedArticle.tag.field.related_model._meta.db_table
EVENTS = Event._meta.db_table
PEOPLE = Person._meta.db_table
PROFILES = TagProfile._meta.db_table
LIVE = LiveCoverage._meta.db_table


def rows(sql, params):
    """The rows of a plain statement, read from the database articles are read from."""
    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def published_sql():
    """
    The rule of publication (``published_q()``) for articles ``a``, with published_params():
    published, due, and in the reader's language.
    """
    return "a.status = %s AND a.published_at <= %s AND a.language = %s"


def published_params():
    """The parameters of published_sql()."""
    connection = connections[router.db_for_read(Article)]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return [Article.Status.PUBLISHED, now, languages.reading()]


# Reading an article newest first and testing it costs a little less than a row of a sort
# (measured on tag pages and speakers' quotes at 100,000 articles, SQLite): see walks().
WALK_COST = 0.85


def walks(needed, count):
    """
    Whether the first ``needed`` rows of a list (of articles, or of rows that each name an
    article) are found sooner by reading the articles newest first, each tested, than by
    sorting the whole list: the walk reads about ``needed × archive / size`` articles, the
    sort ``size`` rows. ``count(limit)`` counts the list, no further than ``limit``: as
    far as it takes to know. Page one of a speaker quoted in every tenth article is then
    read at once, and page fifty of the same speaker sorted.
    """
    enough = math.isqrt(math.ceil(needed * archive_size() * WALK_COST)) + 1
    return count(enough) >= enough


def archive_size():
    """About how many articles there are: the highest id, read from the end of an index."""
    return rows(f"SELECT MAX(id) FROM {ARTICLES}", [])[0][0] or 0


@dataclass(frozen=True)
class Selection:
    """
    Published articles carrying every one of ``tag_ids``, linked to ``event_id``, quoting
    ``person_id`` and published between ``date_from`` and ``date_to`` (each optional).
    """

    tag_ids: tuple = ()
    event_id: int | None = None
    person_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @cached_property
    def _sides(self):
        """The index ranges the selection is made of, as (table, article column, key, id)."""
        return [
            *((TAGGINGS, "content_object_id", "tag_id", tag_id) for tag_id in self.tag_ids),
            *([(LINKS, "article_id", "event_id", self.event_id)] if self.event_id else []),
            *([(QUOTES, "article_id", "speaker_id", self.person_id)] if self.person_id else []),
        ]

    @cached_property
    def _driver(self):
        """
        The side of the index the selection is read from, newest article first: the
        narrowest of its tags, event and speaker (each counted up to ``SIDE_COUNT``, in
        one statement, when there are several), or None: the articles themselves.
        """
        sides = self._sides
        if len(sides) < 2:
            return sides[0] if sides else None
        sql = " UNION ALL ".join(
            f"SELECT {n}, COUNT(*) FROM (SELECT 1 FROM {table} WHERE {key} = %s LIMIT %s) AS c{n}"
            for n, (table, _, key, _) in enumerate(sides)
        )
        sizes = dict(rows(sql, [p for *_, value in sides for p in (value, SIDE_COUNT)]))
        return sides[min(range(len(sides)), key=lambda n: sizes[n])]

    def _conditions(self, driver):
        """What an article of the selection must be, but what ``driver`` already says."""
        conditions, params = [published_sql()], published_params()
        for table, owner, key, value in self._sides:
            if (table, owner, key, value) != driver:
                conditions.append(
                    f"EXISTS (SELECT 1 FROM {table} x WHERE x.{owner} = a.id AND x.{key} = %s)"
                )
                params.append(value)
        if self.date_from is not None:
            conditions.append("a.publication_date >= %s")
            params.append(self.date_from)
        if self.date_to is not None:
            conditions.append("a.publication_date <= %s")
            params.append(self.date_to)
        return " AND ".join(conditions), params

    def _from_driver(self):
        """
        ``FROM … WHERE …`` read from the driving index, its parameters, and the column of
        article ids that index hands over newest first.
        """
        driver = self._driver
        where, params = self._conditions(driver)
        if driver is None:
            return f"FROM {ARTICLES} a WHERE {where}", params, "a.id"
        table, owner, key, value = driver
        # CROSS JOIN: SQLite reads the index first, as written (PostgreSQL plans freely).
        statement = (
            f"FROM {table} s CROSS JOIN {ARTICLES} a WHERE s.{key} = %s"
            f" AND a.id = s.{owner} AND {where}"
        )
        return statement, [value, *params], f"s.{owner}"

    @property
    def _distinct(self):
        # A speaker's quotes name an article once per quote.
        return "DISTINCT " if self._driver and self._driver[0] == QUOTES else ""

    def newest_ids(self, limit):
        """The ids of the ``limit`` newest articles (by id, the order they were written in)."""
        statement, params, newest = self._from_driver()
        sql = f"SELECT {self._distinct}{newest} {statement} ORDER BY {newest} DESC LIMIT %s"
        return [pk for (pk,) in rows(sql, [*params, limit])]

    def side_size(self, limit):
        """
        How many rows name an article on the driving side of the index, counting no further
        than ``limit``; with no side (every article of some dates), ``limit``.
        """
        if self._driver is None:
            return limit
        table, _, key, value = self._driver
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {key} = %s LIMIT %s) AS c"
        return rows(sql, [value, limit])[0][0]

    def count(self, limit):
        """How many articles there are, counting no further than ``limit``."""
        statement, params, newest = self._from_driver()
        sql = f"SELECT COUNT(*) FROM (SELECT {self._distinct}{newest} {statement} LIMIT %s) AS c"
        return rows(sql, [*params, limit])[0][0]

    def in_order(self, offset, limit, few):
        """
        A statement choosing articles ``offset`` to ``offset + limit`` in order of
        publication, newest first (as ``p``: their ``id`` and ``moment``), to join to what
        is shown of them; and its parameters.

        In order of publication, not of the index: a selection of ``few`` articles (under
        FEW) is read from its index and sorted; a larger one is read from the
        articles newest first, each tested, which finds a page of a tag on half the
        archive at once, but would read the whole archive for a tag on fifty articles.
        The page's ids are sorted first, and only then joined to what is shown: sorting
        a few hundred rows, each carrying its card, cost three times as much.
        """
        driver = self._driver
        if few and driver is not None:
            table, owner, key, value = driver
            where, params = self._conditions(driver)
            where = f"a.id IN (SELECT s.{owner} FROM {table} s WHERE s.{key} = %s) AND {where}"
            params = [value, *params]
        else:
            where, params = self._conditions(None)
        chosen = (
            f"(SELECT a.id AS id, a.published_at AS moment FROM {ARTICLES} a WHERE {where}"
            " ORDER BY a.published_at DESC, a.id DESC LIMIT %s OFFSET %s) p"
        )
        return chosen, [*params, limit, offset]

    def page(self, offset, limit, few):
        """
        Articles ``offset`` to ``offset + limit`` in order of publication, newest first
        (see ``in_order()``), each with its stored card (rendered now, and stored, where
        there is none).
        """
        chosen, params = self.in_order(offset, limit, few)
        sql = (
            f"SELECT p.id, r.card, r.version FROM {chosen}"
            f" LEFT JOIN {RENDERINGS} r ON r.article_id = p.id ORDER BY p.moment DESC, p.id DESC"
        )
        shown = rows(sql, params)
        cards = {pk: card for pk, card, version in shown if card and version == fragments.VERSION}
        missing = [pk for pk, *_ in shown if pk not in cards]
        if missing:
            articles = Article.objects.published().for_listing().filter(pk__in=missing)
            articles = fragments.with_rendering(articles)
            articles = fragments.attach_cards(listed_tags(articles))
            cards.update((article.pk, article.card) for article in articles)
        # An article unpublished between the two reads has no card: it is left out.
        return [Listed(pk, mark_safe(cards[pk])) for pk, *_ in shown if pk in cards]


@dataclass(frozen=True, slots=True)
class Listed:
    """An article in a list: its id and its card, the HTML the list shows for it."""

    pk: int
    card: str


class Paged:
    """
    What a paginator takes: ``len()`` is the count (``self.counted``), and a slice reads
    that page alone, with ``read(offset, limit)``.
    """

    counted = 0

    def __len__(self):
        return self.counted

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("A list is read a page at a time.")
        start, stop, _ = index.indices(self.counted)
        return self.read(start, stop - start) if stop > start else []

    def read(self, offset, limit):
        raise NotImplementedError


class Listing(Paged):
    """
    A selection as a paginator takes it: ``len()`` is its count (up to ``count_limit``), a
    slice reads one page. ``sample`` is the newest ids, what the facets count over.
    """

    def __init__(self, selection, count_limit):
        self.selection = selection
        self.count_limit = count_limit
        self.sample = selection.newest_ids(SAMPLE)
        if len(self.sample) < SAMPLE:  # all of them: counted already
            self.counted = min(len(self.sample), count_limit)
        else:  # counted in the database: a thousand ids cost more to fetch than to count
            self.counted = selection.count(count_limit)

    def read(self, offset, limit):
        # Counted (up to count_limit) below FEW, or too far down a list too sparse to walk.
        few = self.counted < min(self.count_limit, FEW) or not walks(offset + limit, self.side_size)
        return self.selection.page(offset, limit, few=few)

    def side_size(self, limit):
        """
        ``Selection.side_size()``, known without asking where the list itself counts as
        many: every article of the list is named on each side of the index.
        """
        return self.counted if self.counted >= limit else self.selection.side_size(limit)


def event_coverage(event_id):
    """
    The public articles linked to an event, newest first: each link's kind, its article
    as a ListedArticle, and whether the article is covered live right now.
    """
    sql = (
        f"SELECT l.kind, c.state IS NOT NULL, {ARTICLE_COLUMNS}"
        f" FROM {LINKS} l JOIN {ARTICLES} a ON a.id = l.article_id"
        f" LEFT JOIN {LIVE} c ON c.article_id = a.id AND c.state = %s"
        f" WHERE l.event_id = %s AND {published_sql()}"
        " ORDER BY a.published_at DESC, a.id DESC"
    )
    params = [LiveCoverage.State.LIVE, event_id, *published_params()]
    return [
        (kind, bool(live), listed_article(*article)) for kind, live, *article in rows(sql, params)
    ]


def aware(moment):
    """A time read by a plain statement: SQLite keeps it without its zone (the database's)."""
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, connections[router.db_for_read(Article)].timezone)


# Plain rows for lists of links ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListedArticle:
    """
    An article as a list of links shows it (headline, address, date), made from a plain
    row: for lists of dozens, where a model instance for each cost more than its query.
    """

    title: str
    slug: str
    publication_date: datetime.date
    published_at: datetime.datetime

    FIELDS = ("title", "slug", "publication_date", "published_at")

    def get_absolute_url(self):
        return dated_article_url(self.publication_date, self.published_at, self.slug)


@dataclass(frozen=True, slots=True)
class ListedQuote:
    """A quote as a speaker's page lists it, with its article, from a plain row."""

    text: str
    role: str
    article: ListedArticle
    update_id: int | None = None  # said in this live update of the article
    original_text: str = ""  # the words as said, when ``text`` is a translation
    original_language: str = ""

    @property
    def is_translation(self):
        return bool(self.original_language)

    def get_absolute_url(self):
        url = self.article.get_absolute_url()
        return f"{url}#update-{self.update_id}" if self.update_id else url


# A ListedArticle's fields, as a plain statement reads them from articles ``a``.
ARTICLE_COLUMNS = ", ".join(f"a.{field}" for field in ListedArticle.FIELDS)


def listed_article(title, slug, publication_date, published_at):
    """A ListedArticle from the columns of ARTICLE_COLUMNS."""
    return ListedArticle(title, slug, publication_date, aware(published_at))


class SpeakerQuotes(Paged):
    """
    A speaker's quotes in public articles, newest article first and in the order of each
    article, as a paginator takes them: ``len()`` their count (up to ``count_limit``), a
    slice one page of ``ListedQuote``.

    Read like the lists of articles above: a speaker quoted in a few articles from the
    speaker's side of the quotes' index, sorted; one quoted all the time from the
    articles, newest first, where a page is found long before the end (see ``walks()``).
    """

    # The speaker's public quotes, for the statements below to count, or order and cut.
    PUBLIC = (
        f"FROM {QUOTES} q JOIN {ARTICLES} a ON a.id = q.article_id"
        f" WHERE q.speaker_id = %s AND {published_sql()}"
    )
    # The same, read from the articles newest first (CROSS JOIN: in that order on SQLite).
    WALKED = (
        f"FROM {ARTICLES} a CROSS JOIN {QUOTES} q"
        f" WHERE {published_sql()} AND q.article_id = a.id AND q.speaker_id = %s"
    )
    ORDER = "a.published_at DESC, a.id DESC, q.position"

    def __init__(self, person_id, count_limit):
        self.person_id = person_id
        self.params = [person_id, *published_params()]
        sql = f"SELECT COUNT(*) FROM (SELECT q.id {self.PUBLIC} LIMIT %s) found"
        ((self.counted,),) = rows(sql, [*self.params, count_limit])
        self.few = self.counted < min(count_limit, FEW)

    def size(self, limit):
        """How many quotes the speaker has, public or not, counted up to ``limit``."""
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {QUOTES} WHERE speaker_id = %s LIMIT %s) c"
        return rows(sql, [self.person_id, limit])[0][0]

    def read(self, offset, limit):
        if not self.few and walks(offset + limit, self.size):
            chosen = f"SELECT q.id {self.WALKED} ORDER BY {self.ORDER} LIMIT %s OFFSET %s"
            params = [*published_params(), self.person_id, limit, offset]
        else:
            chosen = f"SELECT q.id {self.PUBLIC} ORDER BY {self.ORDER} LIMIT %s OFFSET %s"
            params = [*self.params, limit, offset]
        # The page's quotes found by their ids first, so that only twenty texts are read.
        sql = (
            f"SELECT q.text, q.role, q.update_id, q.original_text, q.original_language,"
            f" {ARTICLE_COLUMNS} FROM ({chosen}) page"
            f" JOIN {QUOTES} q ON q.id = page.id"
            f" JOIN {ARTICLES} a ON a.id = q.article_id ORDER BY {self.ORDER}"
        )
        page = rows(sql, params)
        return [
            ListedQuote(text, role, listed_article(*article), update, original, language)
            for text, role, update, original, language, *article in page
        ]

    def articles(self, limit):
        """The public articles quoting the speaker, newest first."""
        if self.few:
            # Chosen from the speaker's quotes and the articles' index alone, sorted, and
            # only then the chosen few read: testing every quoted article read its row.
            chosen = (
                f"SELECT DISTINCT a.id AS id, a.published_at AS moment {self.PUBLIC}"
                " ORDER BY a.published_at DESC, a.id DESC LIMIT %s"
            )
            sql = (
                f"SELECT {ARTICLE_COLUMNS} FROM ({chosen}) p JOIN {ARTICLES} a ON a.id = p.id"
                " ORDER BY p.moment DESC, p.id DESC"
            )
        else:  # newest first, until ``limit`` are found
            quoting = (
                f"EXISTS (SELECT 1 FROM {QUOTES} q WHERE q.article_id = a.id AND q.speaker_id = %s)"
            )
            sql = (
                f"SELECT {ARTICLE_COLUMNS} FROM {ARTICLES} a WHERE {quoting} AND {published_sql()}"
                " ORDER BY a.published_at DESC, a.id DESC LIMIT %s"
            )
        return [listed_article(*row) for row in rows(sql, [*self.params, limit])]


def public_articles_among(ids):
    """The articles ``ids`` that are public, as (id, ListedArticle), unordered."""
    if not ids:
        return []
    within, params = ids_in("a.id", ids)
    sql = f"SELECT a.id, {ARTICLE_COLUMNS} FROM {ARTICLES} a WHERE {within} AND {published_sql()}"
    return [
        (pk, listed_article(*article)) for pk, *article in rows(sql, [*params, *published_params()])
    ]


# Single objects ---------------------------------------------------------------------------
#
# The object a page is about (an article, a tag, a speaker, an event), read by one plain
# statement and made into a model instance as the ORM makes one: building the ORM's
# statement took ten times as long as the database took to answer it.


@functools.lru_cache(maxsize=64)
def _fields(model, names):
    """
    The fields ``names`` of ``model`` in the model's order (the order ``from_db()`` takes
    values in), each with its column as an expression.
    """
    wanted = {model._meta.get_field(name) for name in names}
    return [
        (each, each.get_col(model._meta.db_table))
        for each in model._meta.concrete_fields
        if each in wanted
    ]


def columns(model, names, alias):
    """
    The columns of the fields ``names`` of ``model``, in a statement naming its table
    ``alias``, in the order ``made()`` takes them.
    """
    return ", ".join(f"{alias}.{each.column}" for each, _ in _fields(model, tuple(names)))


def made(model, names, values):
    """
    A ``model`` instance (as read from the database, with only the fields ``names``) from
    ``values``, read by a plain statement from ``columns()``, converted as the ORM converts
    them (times made aware, JSON read).
    """
    alias = router.db_for_read(model)
    connection = connections[alias]
    fields = _fields(model, tuple(names))
    converted = []
    for value, (each, column) in zip(values, fields, strict=True):
        for convert in [
            *connection.ops.get_db_converters(column),
            *each.get_db_converters(connection),
        ]:
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(alias, [each.attname for each, _ in fields], converted)


# What an article page reads with its article (see ArticleDetailView).
PAGE_FIELDS = (
    "id", "title", "slug", "standfirst", "published_at", "publication_date", "language",
    "translation_of",
)  # fmt: skip


def public_article(publication_date, slug):
    """
    The public article at an address in the reader's language, with its stored page parts
    (as ``fragments.with_rendering(parts=PAGE_PARTS)`` reads them), or None.
    """
    rendering = fragments.Stored.FIELDS
    sql = (
        f"SELECT {columns(Article, PAGE_FIELDS, 'a')}, {', '.join(f'r.{c}' for c in rendering)}"
        f" FROM {ARTICLES} a LEFT JOIN {RENDERINGS} r ON r.article_id = a.id"
        f" WHERE a.publication_date = %s AND a.slug = %s AND {published_sql()}"
    )
    connection = connections[router.db_for_read(Article)]
    day = connection.ops.adapt_datefield_value(publication_date)
    found = rows(sql, [day, slug, *published_params()])
    if not found:
        return None
    row = found[0]
    article = made(Article, PAGE_FIELDS, row[: len(PAGE_FIELDS)])
    for name, value in zip(rendering, row[len(PAGE_FIELDS) :], strict=True):
        setattr(article, f"rendering_{name}", value)
    return article


TAG_FIELDS = ("id", "name", "slug")
PROFILE_FIELDS = ("id", "translations", "tag", "description", "is_topic")


def tags_by_slug(slugs):
    """
    The tags of ``slugs`` (those that exist), each with its profile (its description and
    names in other languages) as ``select_related("profile")`` gives it: None if it has none.
    """
    if not slugs:
        return []
    Tag = TaggedArticle.tag.field.related_model
    sql = (
        f"SELECT {columns(Tag, TAG_FIELDS, 't')}, {columns(TagProfile, PROFILE_FIELDS, 'p')}"
        f" FROM {TAGS} t LEFT JOIN {PROFILES} p ON p.tag_id = t.id"
        f" WHERE t.slug IN ({', '.join(['%s'] * len(slugs))})"
    )
    tags = []
    for row in rows(sql, list(slugs)):
        tag = made(Tag, TAG_FIELDS, row[: len(TAG_FIELDS)])
        profile = row[len(TAG_FIELDS) :]
        tag._state.fields_cache["profile"] = (
            None if profile[0] is None else made(TagProfile, PROFILE_FIELDS, profile)
        )
        tags.append(tag)
    return tags


def by_slug(model, names, slug):
    """The ``model`` with ``slug`` (its fields ``names`` read), or None."""
    sql = f"SELECT {columns(model, names, 'x')} FROM {model._meta.db_table} x WHERE x.slug = %s"
    found = rows(sql, [slug])
    return made(model, names, found[0]) if found else None


def found_articles(ids):
    """
    The articles ``ids`` that are still published, as (id, ListedArticle, standfirst and
    body as HTML): a page of search results, unordered.
    """
    if not ids:
        return []
    within, params = ids_in("a.id", ids)
    sql = (
        f"SELECT a.id, {ARTICLE_COLUMNS}, a.standfirst, a.body_html FROM {ARTICLES} a"
        f" WHERE {within} AND {published_sql()}"
    )
    return [
        (pk, listed_article(*article), standfirst, body_html)
        for pk, *article, standfirst, body_html in rows(sql, [*params, *published_params()])
    ]


# Facets ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counted(TranslatedRow):
    """A tag or a person among the sampled articles: name, slug and how many share it."""

    pk: int
    name: str
    slug: str
    shared: int
    translations: dict | None = field(default=None, kw_only=True, compare=False)

    def __str__(self):
        return self.name


@dataclass(frozen=True, slots=True)
class ListedEvent(TranslatedRow):
    """An event as a list of events shows it: name, address, date as precise as known."""

    pk: int
    name: str
    slug: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    date_precision: str
    translations: dict | None = field(default=None, kw_only=True, compare=False)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return event_url(self.slug)


# A ListedEvent's fields, as a plain statement reads them from events ``e``.
EVENT_COLUMNS = "e.id, e.name, e.slug, e.starts_on, e.ends_on, e.date_precision"


@dataclass(frozen=True, slots=True)
class CountedEvent(ListedEvent):
    """An event among the sampled articles, with how many of them link to it."""

    shared: int


def _published_exists(table, owner, key):
    """A condition: ``table`` (taggings, links) joins the row to a published article."""
    return (
        f"EXISTS (SELECT 1 FROM {table} x JOIN {ARTICLES} a ON a.id = x.{owner}"
        f" WHERE x.{key} = {{row}}.id AND {published_sql()})"
    )


# How many of a subject's newest articles languages_of() looks through.
NEWEST_LINKS = 1000
# Each subject's links to articles: their table, their article's column and their own.
SUBJECT_LINKS = {
    TaggedArticle.tag.field.related_model: (TAGGINGS, "content_object_id", "tag_id"),
    Event: (LINKS, "article_id", "event_id"),
    Person: (QUOTES, "article_id", "speaker_id"),
}


def languages_of(subjects, codes):
    """
    Those of the languages ``codes`` that every one of ``subjects`` (tags, events,
    people) is on a public article of, in one statement: the languages their page exists
    in. Each is looked for among the subject's newest ``NEWEST_LINKS`` articles. Bounded:
    asking of a tag on 60,000 English articles and no French one whether it is on a
    French article took 26 to 54 ms; at most 1 ms here. A subject on articles of a
    language only older than its newest thousand is taken for not being on any: a link
    not given, never a link to a page that does not exist.
    """
    checks, params = [], []
    now = published_params()[1]
    for code in codes:
        for subject in subjects:
            table, article, key = SUBJECT_LINKS[type(subject)]
            checks.append(
                f"EXISTS (SELECT 1 FROM {ARTICLES} a WHERE {published_sql()} AND a.id IN"
                f" (SELECT x.{article} FROM {table} x WHERE x.{key} = %s"
                f" ORDER BY x.{article} DESC LIMIT %s))"
            )
            params += [Article.Status.PUBLISHED, now, code, subject.pk, NEWEST_LINKS]
    if not checks:
        return []
    [found] = rows("SELECT " + ", ".join(checks), params)
    n = len(subjects)
    return [code for i, code in enumerate(codes) if all(found[i * n : (i + 1) * n])]


def topics(limit=12):
    """The tags featured on the front page (on at least one public article), by name."""
    public = _published_exists(TAGGINGS, "content_object_id", "tag_id").format(row="t")
    sql = (
        f"SELECT t.name, t.slug FROM {TAGS} t JOIN {PROFILES} p ON p.tag_id = t.id"
        f" WHERE p.is_topic = %s AND {public} ORDER BY LOWER(t.name), t.id LIMIT %s"
    )
    return _made(sql, [True, *published_params(), limit], ListedTag)


def upcoming_events(limit=6):
    """Public events not yet over (starting today or later, or still going on), soonest first."""
    public = _published_exists(LINKS, "article_id", "event_id").format(row="e")
    sql = (
        f"SELECT {EVENT_COLUMNS} FROM {EVENTS} e"
        f" WHERE COALESCE(e.ends_on, e.starts_on) >= %s AND {public}"
        " ORDER BY e.starts_on, e.name, e.id LIMIT %s"
    )
    return _made(sql, [timezone.localdate(), *published_params(), limit], ListedEvent)


def ids_in(column, ids):
    """
    ``column IN (ids)``, and its parameters: on PostgreSQL one array parameter, as the
    ORM's ``__in`` passes lists of ids here (``articles.lookups``).
    """
    if connections[router.db_for_read(Article)].vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _made(sql, params, make):
    return [make(*row) for row in rows(sql, params)]


def related_tags(sample, exclude=(), limit=12):
    """The tags most used on the ``sample`` articles (but ``exclude``'s ids), most first."""
    if not sample:
        return []
    within, params = ids_in("s.content_object_id", sample)
    excluded, excluded_params = ids_in("s.tag_id", list(exclude) or [0])
    # CROSS JOIN: SQLite then reads the taggings of the sample first, and each tag by its
    # id, rather than every tag of the vocabulary against the sample.
    sql = (
        f"SELECT t.id, t.name, t.slug, COUNT(*) AS shared FROM {TAGGINGS} s"
        f" CROSS JOIN {TAGS} t WHERE t.id = s.tag_id AND {within} AND NOT {excluded}"
        " GROUP BY t.id, t.name, t.slug ORDER BY shared DESC, LOWER(t.name), t.id LIMIT %s"
    )
    return _made(sql, [*params, *excluded_params, limit], Counted)


def related_events(sample, exclude=None, limit=8):
    """
    The events the ``sample`` articles link to most, most first, then the latest, then by
    name: without the last, PostgreSQL gave events of the same day in another order from
    one reading to the next.
    """
    if not sample:
        return []
    within, params = ids_in("s.article_id", sample)
    sql = (
        f"SELECT {EVENT_COLUMNS}, COUNT(*) AS shared FROM {LINKS} s CROSS JOIN {EVENTS} e"
        f" WHERE e.id = s.event_id AND {within} AND s.event_id <> %s GROUP BY {EVENT_COLUMNS}"
        " ORDER BY shared DESC, e.starts_on DESC, e.name, e.id LIMIT %s"
    )
    return _made(sql, [*params, exclude or 0, limit], CountedEvent)


def related_people(sample, exclude=None, limit=8):
    """The people most quoted in the ``sample`` articles (articles, not quotes, counted)."""
    if not sample:
        return []
    within, params = ids_in("s.article_id", sample)
    sql = (
        "SELECT p.id, p.name, p.slug, COUNT(DISTINCT s.article_id) AS shared"
        f" FROM {QUOTES} s CROSS JOIN {PEOPLE} p"
        f" WHERE p.id = s.speaker_id AND {within} AND s.speaker_id <> %s"
        " GROUP BY p.id, p.name, p.slug ORDER BY shared DESC, p.name, p.id LIMIT %s"
    )
    return _made(sql, [*params, exclude or 0, limit], Counted)


# Names in the reader's language --------------------------------------------------------


def with_translations(*lists):
    """
    ``lists`` of plain rows of tags (``ListedTag``, ``Counted``) and of events
    (``ListedEvent``), each row with the translations of its names: on a page in another
    language than the site's first, read in one query for all the page's tags and events;
    on one in the first language, as they are, without a query.
    """
    if languages.current() == languages.default():
        return lists
    rows_of_lists = [row for items in lists for row in items]
    events = sorted({row.slug for row in rows_of_lists if isinstance(row, ListedEvent)})
    tags = sorted({row.slug for row in rows_of_lists if not isinstance(row, ListedEvent)})
    statements, params = [], []
    if tags:
        statements.append(
            f"SELECT 'tag', t.slug, p.translations FROM {PROFILES} p"
            f" JOIN {TAGS} t ON t.id = p.tag_id WHERE t.slug IN ({', '.join(['%s'] * len(tags))})"
        )
        params += tags
    if events:
        statements.append(
            f"SELECT 'event', e.slug, e.translations FROM {EVENTS} e"
            f" WHERE e.slug IN ({', '.join(['%s'] * len(events))})"
        )
        params += events
    if not statements:
        return lists
    found = {
        (kind, slug): json.loads(value) if isinstance(value, str) else value
        for kind, slug, value in rows(" UNION ALL ".join(statements), params)
    }

    def translated(row):
        kind = "event" if isinstance(row, ListedEvent) else "tag"
        return replace(row, translations=found.get((kind, row.slug)))

    return tuple([translated(row) for row in items] for items in lists)
