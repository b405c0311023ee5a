"""``__in`` on integer columns and foreign keys: the same rows on every database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return [make_article(title=f"Story {n}", tags=[f"Tag {n}", "Shared"]) for n in range(4)]


def sql_of(run):
    with CaptureQueriesContext(connection) as queries:
        result = run()
    return result, queries.captured_queries[-1]["sql"]


def test_a_list_of_ids_matches_exactly_those_rows(articles):
    wanted = [articles[0].pk, articles[2].pk]
    found, sql = sql_of(
        lambda: sorted(Article.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    )
    assert found == sorted(wanted)
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql  # one array parameter, not a placeholder per id
    else:
        assert " IN (" in sql


def test_none_and_numbers_no_column_can_hold_match_nothing_and_never_fail(articles):
    ids = [articles[1].pk, None, 10**30, -(10**30)]
    assert list(Article.objects.filter(pk__in=ids)) == [articles[1]]
    assert list(Article.objects.filter(pk__in=[None, 10**30])) == []
    assert list(Article.objects.filter(pk__in=[])) == []


def test_a_foreign_key_takes_ids_objects_or_a_subquery(articles):
    first, second = articles[0], articles[1]
    by_ids = Tag.objects.filter(articles_taggedarticle_items__content_object__in=[first.pk])
    by_objects = Tag.objects.filter(articles_taggedarticle_items__content_object__in=[first])
    by_query = Tag.objects.filter(
        articles_taggedarticle_items__content_object__in=Article.objects.filter(pk=first.pk)
    )
    for tags in [by_ids, by_objects, by_query]:
        assert sorted(tags.values_list("name", flat=True)) == ["Shared", "Tag 0"]
    shared = TaggedArticle.objects.filter(content_object__in=[first, second], tag__name="Shared")
    assert shared.count() == 2


def test_expressions_in_the_list_still_work(articles):
    from django.db.models import F

    assert Article.objects.filter(pk__in=[F("id")]).count() == len(articles)
