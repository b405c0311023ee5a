"""The one rule of publication: published, and due. Tested at its edges."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_published_article_that_is_due_is_public():
    article = make_article(published_at=timezone.now() - datetime.timedelta(seconds=1))
    assert list(Article.objects.published()) == [article]


def test_a_scheduled_article_one_second_in_the_future_is_not_public():
    make_article(published_at=timezone.now() + datetime.timedelta(seconds=1))
    assert not Article.objects.published().exists()


def test_a_draft_with_a_past_date_is_not_public():
    make_article(
        status=Article.Status.DRAFT, published_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert not Article.objects.published().exists()


def test_an_article_in_review_is_not_public():
    make_article(
        status=Article.Status.IN_REVIEW, published_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert not Article.objects.published().exists()


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(monkeypatch):
    publish_at = timezone.now() + datetime.timedelta(minutes=5)
    article = make_article(published_at=publish_at)
    assert not Article.objects.published().exists()

    monkeypatch.setattr(timezone, "now", lambda: publish_at)
    assert list(Article.objects.published()) == [article]


def test_scheduled_article_page_is_not_found_until_due(client):
    article = make_article(published_at=timezone.now() + datetime.timedelta(seconds=30))
    assert client.get(article.get_absolute_url()).status_code == 404
