"""
Full-text search over headline, standfirst, body and quotes.

On PostgreSQL it uses the database's full-text search (English stemming, weighted
ranking); elsewhere (SQLite) every word must appear somewhere, case-insensitively.
Either way headline matches rank first, then the newest.
"""

import re
from functools import reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SEARCH_CONFIG = "english"
WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


def search_terms(query):
    """The words of a reader's query, lower-cased, each once, in order."""
    return list(dict.fromkeys(word.lower() for word in WORD.findall(query)))[:MAX_TERMS]


def search_articles(queryset, query):
    """``queryset`` narrowed to articles matching ``query``, best first."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, " ".join(terms))
    return _search_portable(queryset, terms)


def _search_postgresql(queryset, text):
    from articles.models import Quote

    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="plain")
    vector = (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )
    quoted = Quote.objects.annotate(document=SearchVector("text", config=SEARCH_CONFIG)).filter(
        article=OuterRef("pk"), document=query
    )
    return (
        queryset.annotate(
            document=vector,
            headline_document=SearchVector("title", config=SEARCH_CONFIG),
        )
        .filter(Q(document=query) | Exists(quoted))
        .annotate(
            headline_match=Case(
                When(headline_document=query, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            rank=SearchRank(vector, query),
        )
        .order_by("-headline_match", "-rank", "-published_at")
    )


def _search_portable(queryset, terms):
    from articles.models import Quote

    def matches(term):
        return (
            Q(title__icontains=term)
            | Q(standfirst__icontains=term)
            | Q(body__icontains=term)
            | Exists(Quote.objects.filter(article=OuterRef("pk"), text__icontains=term))
        )

    headline_match = reduce(and_, (Q(title__icontains=term) for term in terms))
    standfirst_match = reduce(and_, (Q(standfirst__icontains=term) for term in terms))
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
    text = " ".join(strip_tags(html).split())
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(positions) - width // 3) if positions else 0
    window = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return highlight(prefix + window + suffix, terms)
