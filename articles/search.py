"""
Full-text search over headline, standfirst, body and quotes.

On PostgreSQL it uses the database's full-text search (English stemming, weighted
ranking); elsewhere (SQLite) every word must appear somewhere, case-insensitively.
Either way headline matches rank first, then the newest.
"""

import re
from functools import reduce
from html import unescape
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SEARCH_CONFIG = "english"
WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


def search_terms(query):
    """The words of a reader's query, lower-cased, each once, in order."""
    return list(dict.fromkeys(word.lower() for word in WORD.findall(query)))[:MAX_TERMS]


MAX_CANDIDATES = 1000


def search_articles(queryset, query):
    """
    ``queryset`` narrowed to articles matching ``query``, best first.

    Ranking looks at the MAX_CANDIDATES newest matches: a common word matches half a
    large archive, and ranking all of it would make every search as slow as the worst.
    """
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        matches = _search_postgresql(queryset, " ".join(terms))
    else:
        matches = _search_portable(queryset, terms)
    newest = matches.order_by("-published_at").values("pk")[:MAX_CANDIDATES]
    return matches.filter(pk__in=newest)


def document_vector():
    """
    Headline (weight A), standfirst (B), body (C) and the article's quotes (D) as one
    PostgreSQL search vector, so one word may be in the body and another in a quote.
    """
    from articles.models import Quote

    quotes_text = Subquery(
        Quote.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(words=StringAgg("text", delimiter=Value(" ")))
        .values("words")
    )
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
        + SearchVector(
            Coalesce(quotes_text, Value(""), output_field=TextField()),
            weight="D",
            config=SEARCH_CONFIG,
        )
    )


def update_search_documents(articles):
    """Recompute the stored search vector of ``articles`` (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        articles.update(search_document=document_vector())


def _search_postgresql(queryset, text):
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="plain")
    return (
        queryset.filter(search_document=query)
        .annotate(headline_document=SearchVector("title", config=SEARCH_CONFIG))
        .annotate(
            headline_match=Case(
                When(headline_document=query, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            rank=SearchRank(F("search_document"), query),
        )
        .order_by("-headline_match", "-rank", "-published_at")
    )


def case_variants(term):
    """
    The spellings of ``term`` to look for on SQLite, whose LIKE ignores case for
    ASCII letters only: “київ” must also find “Київ”.
    """
    return {term, term.capitalize(), term.upper(), term.title()}


def _search_portable(queryset, terms):
    from articles.models import Quote

    def contains(field, term):
        return reduce(or_, (Q(**{f"{field}__icontains": v}) for v in case_variants(term)))

    def matches(term):
        return (
            contains("title", term)
            | contains("standfirst", term)
            | contains("body", term)
            | Exists(Quote.objects.filter(contains("text", term), article=OuterRef("pk")))
        )

    headline_match = reduce(and_, (contains("title", term) for term in terms))
    standfirst_match = reduce(and_, (contains("standfirst", term) for term in terms))
    return (
        queryset.filter(reduce(and_, (matches(term) for term in terms)))
        .annotate(
            headline_match=Case(
                When(headline_match, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            rank=Case(
                When(standfirst_match, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .order_by("-headline_match", "-rank", "-published_at")
    )


def highlight(text, terms):
    """``text`` escaped, with each word that starts with a search term wrapped in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, terms)) + r")", re.IGNORECASE)
    # split() with one group puts the matches at the odd positions.
    parts = pattern.split(text)
    return mark_safe(
        "".join(
            f"<mark>{escape(part)}</mark>" if index % 2 else escape(part)
            for index, part in enumerate(parts)
        )
    )


def excerpt(html, terms, width=220):
    """A plain-text window of ``html`` around the first search term, highlighted."""
    text = " ".join(unescape(strip_tags(html)).split())
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(positions) - width // 3) if positions else 0
    window = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return highlight(prefix + window + suffix, terms)
