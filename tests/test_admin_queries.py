"""The admin stays fast as the archive grows: query counts do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    link_event,
    make_article,
    make_event,
    make_person,
    make_picture,
    make_quote,
    make_user,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def grow(articles=10):
    author = make_user(first_name="Ann", last_name="Reporter")
    for n in range(articles):
        article = make_article(
            tags=[f"tag {n}", f"other {n}", "shared"],
            lead_image=make_picture((300, 200), alt=f"Picture {n}", uploaded_by=author),
        )
        article.authors.add(author)
        article.last_edited_by = author
        article.save()
        make_quote(article, make_person(name=f"Speaker {n}"))
        link_event(article, make_event(name=f"Event {n}"))


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/picture/",
        "/admin/articles/picture/?use=unused&alt=missing",
        "/admin/articles/picture/choose/?q=picture",
        "/admin/articles/article/?state=live",
        "/admin/articles/article/?q=article",
        "/admin/articles/person/",
        "/admin/articles/event/",
    ],
)
def test_changelists_do_not_grow_with_the_archive(editor_client, url):
    """Guards N+1s on authors, last editor and status in the article list."""
    grow(1)
    before = count_queries(editor_client, url)
    grow(15)
    assert count_queries(editor_client, url) == before


def test_the_article_form_does_not_grow_with_quotes_and_events(editor_client):
    """Guards N+1s in the inlines: each quote's speaker, each link's event."""
    small = make_article(tags=["a"])
    make_quote(small)
    link_event(small)
    big = make_article(tags=[f"t{n}" for n in range(6)])
    for _ in range(6):
        make_quote(big)
        link_event(big, make_event())
    small_url = reverse("admin:articles_article_change", args=[small.pk])
    count_queries(editor_client, small_url)  # the first request also fills per-process caches
    small_count = count_queries(editor_client, small_url)
    big_count = count_queries(
        editor_client, reverse("admin:articles_article_change", args=[big.pk])
    )
    assert big_count == small_count


@pytest.mark.parametrize(
    ("model", "field", "app"),
    [
        ("person", "speaker", "quote"),
        ("event", "event", "articleevent"),
        ("tag", "tags", "article"),
    ],
)
def test_autocomplete_endpoints_are_bounded(editor_client, model, field, app):
    """Autocomplete answers a page of matches in a fixed number of queries."""
    url = f"/admin/autocomplete/?term=a&app_label=articles&model_name={app}&field_name={field}"
    grow(1)
    before = count_queries(editor_client, url)
    grow(15)
    assert count_queries(editor_client, url) == before


def test_the_changelist_does_not_count_the_whole_table_twice(editor_client):
    """With a filter on, the admin must not also count every article for “N total”."""
    grow(3)
    with CaptureQueriesContext(connection) as queries:
        editor_client.get("/admin/articles/article/?state=live")
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1
