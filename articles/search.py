"""
Full-text search over headline, standfirst, body and quotes.

On PostgreSQL it uses the database's full-text search (weighted ranking) over a stored,
GIN-indexed vector, each article's words stemmed as words of its language (its text search
configuration: “english”, “french”...), and a reader's query as words of the reader's
language; on SQLite, an FTS5 index in which every word of the query must start a word of
the article, whatever its case or accents. Either way headline matches rank first, then
the newest.
"""

import re
from collections import defaultdict
from functools import lru_cache, partial
from html import escape as html_escape
from html import unescape

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, connections, router
from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import languages

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# PostgreSQL's text search configuration of each language, by its ISO 639 code; a language
# without one of its own is searched word for word (“simple”: lower-cased, not stemmed).
SEARCH_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
UNSTEMMED = "simple"
WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


def search_config(code):
    """The text search configuration of the language ``code`` (“en-gb” → “english”)."""
    return SEARCH_CONFIGS.get(code.lower().partition("-")[0], UNSTEMMED)


def article_config():
    """
    The configuration of each article's language, as an expression of its row: the
    site's one language's, or on a site of several, the one of the article's language.
    """
    if not languages.is_multilingual():
        return Value(search_config(languages.default()))
    return Case(
        *[When(language=code, then=Value(search_config(code))) for code in languages.codes()],
        default=Value(UNSTEMMED),
        output_field=TextField(),
    )


def search_terms(query):
    """The words of a reader's query, lower-cased, each once, in order."""
    return list(dict.fromkeys(word.lower() for word in WORD.findall(query)))[:MAX_TERMS]


# How many of the newest matches are ranked. Ranking costs about 10 µs a candidate on
# PostgreSQL (ts_rank over the whole article), so this bounds every search's time.
MAX_CANDIDATES = 500


def search_articles(queryset, query, language=None):
    """
    The articles of ``queryset`` matching ``query``, best first: a new queryset, to which
    ``only()`` or ``prefetch_related()`` are applied afterwards.

    Ranking looks at the MAX_CANDIDATES newest matches (by id, the order articles were
    written in, which an index reads backwards on either database): a common word
    matches half a large archive, and ranking all of it would make every search as
    slow as the worst.

    The query's words are read as words of ``language``, or of each language of the
    site (on PostgreSQL: stemmed as each would stem them) where the articles may be
    in any.
    """
    return search(queryset, query, language)[0]


def search(queryset, query, language=None):
    """``search_articles()``, and how many articles it found (MAX_CANDIDATES at most)."""
    terms = search_terms(query)
    if not terms:
        return queryset.none(), 0
    matches, rank = _matches_and_ranking(queryset, terms, language)
    # Found once, so that counting and listing the page rank a thousand rows by their ids
    # rather than walk the archive again (those ids already passed ``queryset``'s filters).
    newest = matches.order_by("-pk").values_list("pk", flat=True)[:MAX_CANDIDATES]
    ids = list(newest)
    return rank(queryset.model.objects.filter(pk__in=ids)).order_by(*RANK_ORDER), len(ids)


def ranked_ids(query):
    """
    The ids of the published articles matching ``query``, in the order of
    ``search_articles()``: the MAX_CANDIDATES newest matches, ranked.

    Written out for each database rather than built with the ORM, which took longer to
    build the statement (the match, two rankings, the rule of publication) than the
    database took to answer it. The candidates are the newest matches (by id, which the
    indexes read backwards), then put in RANK_ORDER, ties newest first.
    """
    from articles.listings import ARTICLES, published_params, published_sql, rows
    from articles.models import Article

    terms = search_terms(query)
    if not terms:
        return []
    if connections[router.db_for_read(Article)].vendor != "postgresql":
        return _ranked_ids_sqlite(terms)
    # The reader's language: the articles listed are in it (published_sql()).
    config = search_config(languages.current())
    tsquery, words = "plainto_tsquery(%s::regconfig, %s)", [config, " ".join(terms)]
    sql = (
        "SELECT id FROM (SELECT a.id, a.published_at, CASE WHEN"
        f" ts_filter(a.search_document, '{{a}}') @@ {tsquery} THEN 1 ELSE 0 END AS headline,"
        f" ts_rank(a.search_document, {tsquery}) AS ranking FROM {ARTICLES} a"
        f" WHERE {published_sql()} AND a.search_document @@ {tsquery}"
        " ORDER BY a.id DESC LIMIT %s) candidates"
        " ORDER BY headline DESC, ranking DESC, published_at DESC, id DESC"
    )
    params = [*words, *words, *published_params(), *words, MAX_CANDIDATES]
    return [pk for (pk,) in rows(sql, params)]


def _ranked_ids_sqlite(terms):
    """
    ``ranked_ids()`` on SQLite, in two statements: the candidates, read from the FTS5
    index newest first (which stops at the last one rather than list every match of the
    archive), newest published first; then those of them whose headline or standfirst
    has every term, moved ahead here. SQLite took three times as long to sort by two
    ``IN`` tests of those few as to sort by time alone.
    """
    from articles.listings import ARTICLES, published_params, published_sql, rows

    index = SQLITE_INDEX
    ids = [
        pk
        for (pk,) in rows(
            f"SELECT id FROM (SELECT a.id, a.published_at FROM {index} s CROSS JOIN {ARTICLES} a"
            f" WHERE s.{index} MATCH %s AND a.id = s.rowid AND {published_sql()}"
            " ORDER BY s.rowid DESC LIMIT %s) ORDER BY published_at DESC, id DESC",
            [_fts_query(terms), *published_params(), MAX_CANDIDATES],
        )
    ]
    if not ids:
        return []
    oldest = min(ids)
    in_column = f"SELECT rowid, %s FROM {index} WHERE {index} MATCH %s AND rowid >= %s"
    matched = defaultdict(int)  # by id: 2 where the headline has every term, + 1 the standfirst
    for pk, weight in rows(
        f"{in_column} UNION ALL {in_column}",
        [2, _fts_query(terms, "title"), oldest, 1, _fts_query(terms, "standfirst"), oldest],
    ):
        matched[pk] += weight
    ahead = [pk for pk in ids if pk in matched]
    ahead.sort(key=matched.__getitem__, reverse=True)  # stable: newest first within each
    return ahead + [pk for pk in ids if pk not in matched]


# Headline matches first, then the best ranked, then the newest.
RANK_ORDER = ("-headline_match", "-rank", "-published_at")


def configs(language=None):
    """The configurations a query is read in: ``language``'s, or each of the site's."""
    found = [language] if language else languages.codes()
    return list(dict.fromkeys(search_config(code) for code in found))


def any_of(text, search_type, language=None):
    """A query of ``text`` read in each of ``configs(language)``: a match in any will do."""
    queries = [SearchQuery(text, config=c, search_type=search_type) for c in configs(language)]
    combined = queries[0]
    for query in queries[1:]:
        combined |= query
    return combined


def _matches_and_ranking(queryset, terms, language=None):
    """
    The articles of ``queryset`` matching ``terms``, and a function annotating a queryset
    of articles with the ``headline_match`` and ``rank`` of RANK_ORDER.
    """
    if connection.vendor == "postgresql":
        query = any_of(" ".join(terms), "plain", language)
        return queryset.filter(search_document=query), partial(_ranked_postgresql, query)
    return _matching_sqlite(queryset, terms), partial(_ranked_sqlite, terms=terms)


def matching(queryset, query):
    """
    The articles of ``queryset`` whose headline, standfirst, body or quotes have a word
    starting with each word of ``query``, unranked, through the search index: what the
    editors' article list searches, drafts included, in every language of the site.
    """
    terms = search_terms(query)
    if connection.vendor == "postgresql":
        # Each word as a prefix (“harb” finds “harbour”), reduced to letters and digits so
        # that nothing a user types is read as tsquery syntax.
        # At most MAX_TERMS of them: “a-b-c-…” is one term of thousands of words, and a
        # tsquery of thousands of prefixes overflowed PostgreSQL's stack (a server error).
        words = [word for term in terms for word in re.findall(r"\w+", term)][:MAX_TERMS]
        if not words:
            return queryset.none()
        prefixes = " & ".join(f"{word}:*" for word in words)
        return queryset.filter(search_document=any_of(prefixes, "raw"))
    return _matching_sqlite(queryset, terms) if terms else queryset.none()


def document_vector(config=None):
    """
    Headline (weight A), standfirst (B), body (C) and the article's quotes (D) as one
    PostgreSQL search vector, so one word may be in the body and another in a quote,
    each word stemmed in the article's language (or the configuration ``config``).
    """
    from articles.models import Quote

    quotes_text = Subquery(
        Quote.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(words=StringAgg("text", delimiter=Value(" "), order_by="position"))
        .values("words")
    )
    config = config or article_config()
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
        + SearchVector(
            Coalesce(quotes_text, Value(""), output_field=TextField()),
            weight="D",
            config=config,
        )
    )


def update_search_documents(articles, config=None):
    """
    Bring the search index up to date for ``articles`` (a queryset): on PostgreSQL, in
    each article's language, or the configuration ``config`` for all.
    """
    if connection.vendor == "postgresql":
        articles.update(search_document=document_vector(config))
    elif connection.vendor == "sqlite":
        ids = list(articles.values_list("pk", flat=True))
        for start in range(0, len(ids), 2000):
            _index_sqlite(ids[start : start + 2000])


def compact_search_index():
    """
    Merge SQLite's search index into one segment, after a bulk load has written it in
    many: a search then reads each word’s list once rather than once a segment (a quarter
    less time for a two-word search of 2,000 articles). Edits keep it merged enough by
    themselves (FTS5's automerge). PostgreSQL's GIN index needs nothing of the kind.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {SQLITE_INDEX}({SQLITE_INDEX}) VALUES ('optimize')")


def remove_from_search_index(article_id):
    """A deleted article's row leaves the SQLite index (PostgreSQL's goes with the row)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SQLITE_INDEX} WHERE rowid = %s", [article_id])


SQLITE_INDEX = "article_search"


def _index_sqlite(ids):
    """Replace the FTS5 rows of the articles ``ids`` (the row id is the article's id)."""
    from articles.models import Article, Quote

    quotes = defaultdict(list)
    for article_id, text in Quote.objects.filter(article__in=ids).values_list("article", "text"):
        quotes[article_id].append(text)
    rows = [
        (pk, title, standfirst, body, " ".join(quotes[pk]))
        for pk, title, standfirst, body in Article.objects.filter(pk__in=ids).values_list(
            "pk", "title", "standfirst", "body"
        )
    ]
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {SQLITE_INDEX} WHERE rowid IN ({placeholders})", ids)
        cursor.executemany(
            f"INSERT INTO {SQLITE_INDEX} (rowid, title, standfirst, body, quotes) "
            "VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


def _ranked_postgresql(query, queryset):
    """Headline matches (weight A of the stored vector), and ``ts_rank``."""
    headline = Func(
        F("search_document"), Value("{a}"), function="ts_filter", output_field=SearchVectorField()
    )
    return queryset.alias(headline_document=headline).annotate(
        headline_match=Case(
            When(headline_document=query, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        rank=SearchRank(F("search_document"), query),
    )


def _fts_query(terms, column=None):
    """
    An FTS5 query for articles in which every term starts a word (of ``column`` only,
    when given). Each term as a quoted FTS5 string: whatever a reader types is a word,
    never syntax.
    """
    words = " ".join('"' + term.replace('"', '""') + '"*' for term in terms)
    return f"{column} : ({words})" if column else words


def _fts_matches(terms, column=None):
    """The ids of the articles ``_fts_query()`` finds, as a subquery."""
    return RawSQL(
        f"SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s",
        [_fts_query(terms, column)],
    )


def _matching_sqlite(queryset, terms):
    """Articles in which every term starts a word (FTS5 prefix queries)."""
    return queryset.filter(pk__in=_fts_matches(terms))


def _ranked_sqlite(queryset, terms):
    """
    Headline matches, and standfirst matches as the rank: every term starting a word of
    the headline (of the standfirst), as the match itself asks of the whole article,
    whatever the case or accents; read from the search index.
    """

    def found_in(column):
        return Case(
            When(pk__in=_fts_matches(terms, column), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )

    return queryset.annotate(headline_match=found_in("title"), rank=found_in("standfirst"))


@lru_cache(maxsize=256)
def _highlighter(terms):
    return re.compile(r"\b(" + "|".join(map(re.escape, terms)) + r")", re.IGNORECASE)


@lru_cache(maxsize=256)
def _plain_terms(terms):
    """
    ``terms`` lower-cased where ``_marked()`` can find them: where each is ASCII and starts
    with a letter, digit or ``_`` (before anything else, ``\b`` means another thing).
    """
    if not all(term.isascii() and WORD.match(term) for term in terms):
        return None
    return tuple(term.lower() for term in terms)


def highlighter(terms):
    """The pattern ``highlight()`` marks ``terms`` with, compiled once for a page of results."""
    return _highlighter(tuple(terms)) if terms else None


# What html.escape() replaces.
_ESCAPED = re.compile("[&<>\"']")


def highlight(text, terms, pattern=None):
    """``text`` escaped, with each word that starts with a search term wrapped in <mark>."""
    if not terms:
        return escape(text)
    plain_terms = _plain_terms(tuple(terms))
    if plain_terms is not None:
        marked = _marked(text, plain_terms)
        if marked is not None:
            return SafeString(marked)  # a str: mark_safe()'s test for lazy text not needed
    pattern = pattern or highlighter(terms)
    if not _ESCAPED.search(text):
        # Nothing to escape (most headlines and excerpts): each match marked in one pass.
        return mark_safe(pattern.sub(r"<mark>\1</mark>", text))
    # split() with one group puts the matches at the odd positions.
    parts = pattern.split(text)
    parts[::2] = map(html_escape, parts[::2])
    parts[1::2] = (f"<mark>{html_escape(part)}</mark>" for part in parts[1::2])
    return mark_safe("".join(parts))


def _marked(text, terms):
    """
    ``highlight()``'s HTML, its pattern's matches found with ``str.find()`` in the
    lower-cased text: two thirds of the time of the case-blind pattern, which tries
    every position, on a page of results. Each match is kept where it starts a word
    (where the pattern's ``\b`` holds: at the start, or after a character that is not a
    letter, digit or ``_``); from the start on, each match that begins after the last
    one ends, the first term listed where two begin at one place, as the pattern's
    alternatives are tried.

    None where lower case and the case-blind pattern could differ: where lowering
    changes a character into two, or for the two letters the pattern takes for an
    ASCII “i” or “s” and lowering keeps.
    """
    lowered = text.lower()
    if len(lowered) != len(text) or "\u0131" in lowered or "\u017f" in lowered:
        return None
    found = []
    for order, term in enumerate(terms):
        start = lowered.find(term)
        while start >= 0:
            before = lowered[start - 1] if start else " "
            if not (before.isalnum() or before == "_"):
                found.append((start, order, start + len(term)))
            start = lowered.find(term, start + 1)
    whole = html_escape(text)
    if not found:
        return whole
    escaped = str if len(whole) == len(text) else html_escape  # nothing to escape: as it is
    found.sort()
    parts = []
    done = 0
    for start, _, end in found:
        if start >= done:
            parts += escaped(text[done:start]), "<mark>", escaped(text[start:end]), "</mark>"
            done = end
    parts.append(escaped(text[done:]))
    return "".join(parts)


TAG = re.compile(r"<[^<>]*>")


def excerpt(html, terms, width=220, pattern=None):
    """A plain-text window of ``html`` around the first search term, highlighted."""
    # The text of the body's HTML, which the sanitizer wrote (no scripts, no styles, no
    # “>” inside a tag): its tags dropped in one linear pass. Cleaning it again with nh3
    # took a quarter of a second for a body of ampersands, for each result on the page.
    found = _window_of_head(html, terms, width)
    if found is None:
        raw = unescape(TAG.sub(" ", html))
        found = _window(raw, terms, width) or _window_of(" ".join(raw.split()), terms, width)
    start, window, more = found
    prefix = "…" if start else ""
    suffix = "…" if more else ""
    return highlight(prefix + window + suffix, terms, pattern)


# How much of a body's HTML is read first for its excerpt: most matches are near the start.
HEAD = 4000


def _window_of_head(html, terms, width):
    """
    ``_window()`` of the start of ``html`` alone, where a term is found there and the
    window ends within it: a long body is not stripped of its tags whole for one line.
    The start is cut before its last tag, so no tag or entity is cut in two (an entity
    is never split by a tag). None where the start does not settle it.
    """
    if len(html) <= HEAD:
        return None
    cut = html.rfind("<", 0, HEAD)
    if cut <= 0:
        return None
    raw = unescape(TAG.sub(" ", html[:cut]))
    lowered = raw.lower()
    if not any(term in lowered for term in terms):
        return None
    return _window(raw, terms, width)


def _window_of(text, terms, width):
    """
    Where the window of ``text`` (its words, each run of spaces one space) starts, the
    window, and whether more of the text follows it.
    """
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(positions) - width // 3) if positions else 0
    return start, text[start : start + width], start + width < len(text)


def _window(raw, terms, width):
    """
    ``_window_of()`` the words of ``raw``, read from only as much of ``raw`` as the
    window needs: joining the words of a whole article to show one line of it was most
    of an excerpt's time. None where that part does not settle it.

    A term has no spaces, so it is found at the same place among the words of ``raw``
    as in ``raw`` itself, counting each run of spaces before it as one; and the words of
    the start of a text are the start of its words.
    """
    lowered = raw.lower()
    if len(lowered) != len(raw) or any(term.split() != [term] for term in terms):
        return None  # lowering changed the length, or a term has spaces: positions differ
    firsts = [lowered.find(term) for term in terms if term in lowered]
    first = min(firsts) if firsts else 0
    reach = first + 2 * width + 2
    if reach >= len(raw):
        return None  # a short text: its words are soon joined
    before = " ".join(raw[:first].split())
    if before and raw[first - 1].isspace():
        before += " "
    text = before + " ".join(raw[first:reach].split())
    start = max(0, len(before) - width // 3) if firsts else 0
    if start + width >= len(text):
        return None
    return start, text[start : start + width], True
