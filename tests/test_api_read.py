"""The content API's read side: published content only, the site's filters, JSON errors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleEvent
from tests.factories import (
    link_event,
    make_article,
    make_correction,
    make_event,
    make_person,
    make_quote,
    make_user,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(n):
    return NOW - datetime.timedelta(days=n)


def headlines(response):
    return [item["headline"] for item in response.json()["results"]]


def test_an_article_carries_everything_a_partner_shows(client):
    """Headline, standfirst, sanitized body, byline, dates, tags, quotes, events, corrections."""
    author = make_user("ann", first_name="Ann", last_name="Writer")
    article = make_article(
        tags=["Ukraine"], title="Talks in London", standfirst="Ministers met.",
        body="Said <script>alert(1)</script> **firmly**.", dateline="London",
    )  # fmt: skip
    article.authors.add(author)
    make_quote(article, make_person(name="David Lammy"), role="Foreign Secretary", text="Yes.")
    link_event(article, make_event(name="UK–EU Summit"), kind=ArticleEvent.Kind.PREVIEWS)
    make_correction(article, text="A name was misspelt.")

    data = client.get(f"/api/articles/{article.pk}/").json()

    assert data["headline"] == "Talks in London"
    assert data["standfirst"] == "Ministers met."
    assert "<strong>firmly</strong>" in data["body_html"] and "<script>" not in data["body_html"]
    assert data["byline"] == "Ann Writer"
    assert data["dateline"] == "London"
    assert data["canonical_url"].endswith(article.get_absolute_url())
    assert data["tags"][0]["name"] == "Ukraine" and data["tags"][0]["url"].endswith(
        "/tags/ukraine/"
    )
    assert data["quotes"] == [
        {"position": 1, "text": "Yes.", "role": "Foreign Secretary",
         "speaker": {"name": "David Lammy", "slug": "david-lammy",
                     "url": "http://127.0.0.1:8000/people/david-lammy/"}}
    ]  # fmt: skip
    assert data["events"][0]["kind"] == "previews"
    assert data["events"][0]["event"]["name"] == "UK–EU Summit"
    assert data["corrections"][0]["text"] == "A name was misspelt."
    assert data["lead_image"] is None
    assert data["ninjs_url"].endswith(f"/api/articles/{article.pk}/ninjs/")


def test_the_demo_article_has_its_lead_image_renditions(client, demo_article):
    data = client.get(f"/api/articles/{demo_article.pk}/").json()
    renditions = data["lead_image"]["renditions"]
    assert renditions, "the demo article has a generated lead image"
    assert {r["content_type"] for r in renditions} == {"image/jpeg", "image/webp"}
    assert all(r["url"].startswith("http") and r["width"] > 0 for r in renditions)
    assert data["lead_image"]["alt"]
    assert [q["speaker"]["name"] for q in data["quotes"]] == ["David Lammy", "John Healey"]


@pytest.mark.parametrize(
    "status, published_at",
    [
        (Article.Status.DRAFT, None),
        (Article.Status.DRAFT, days_ago(1)),
        (Article.Status.IN_REVIEW, days_ago(1)),
        (Article.Status.PUBLISHED, NOW + datetime.timedelta(days=1)),  # scheduled
    ],
)
def test_no_unpublished_article_is_reachable_through_any_endpoint(client, status, published_at):
    """Not in lists, filters or search, not by id, not as ninjs; nor its tags, events, speakers."""
    hidden = make_article(
        tags=["Embargoed"], title="Secret merger", status=status, published_at=published_at
    )
    make_quote(hidden, make_person(name="Hidden Speaker"), text="Secret merger talks.")
    link_event(hidden, make_event(name="Secret Summit"))
    make_article(tags=["Public"], title="Public story")

    urls = [
        "/api/articles/", "/api/articles/?q=secret+merger", "/api/articles/?q=secret",
        "/api/tags/", "/api/events/", "/api/people/", f"/api/articles/{hidden.pk}/",
        f"/api/articles/{hidden.pk}/ninjs/", "/api/articles/?tag=embargoed",
        "/api/articles/?event=secret-summit", "/api/articles/?person=hidden-speaker",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode()
        for secret in ("Secret merger", "Embargoed", "Secret Summit", "Hidden Speaker"):
            assert secret not in body, (url, secret)
    assert client.get(f"/api/articles/{hidden.pk}/").status_code == 404
    assert headlines(client.get("/api/articles/")) == ["Public story"]


def test_filters_combine_like_the_filter_page(client):
    summit, lammy = make_event(name="Summit"), make_person(name="David Lammy")
    both = make_article(tags=["Ukraine", "Defence"], title="Both tags", published_at=days_ago(3))
    make_article(tags=["Ukraine"], title="One tag", published_at=days_ago(2))
    old = make_article(tags=["Ukraine", "Defence"], title="Old", published_at=days_ago(40))
    link_event(both, summit)
    make_quote(both, lammy)
    make_quote(old, lammy)

    assert headlines(client.get("/api/articles/?tag=ukraine&tag=defence")) == ["Both tags", "Old"]
    assert headlines(client.get("/api/articles/?event=summit")) == ["Both tags"]
    assert headlines(client.get("/api/articles/?person=david-lammy")) == ["Both tags", "Old"]
    since = days_ago(10).date().isoformat()
    assert headlines(client.get(f"/api/articles/?tag=defence&from={since}")) == ["Both tags"]
    until = days_ago(30).date().isoformat()
    assert headlines(client.get(f"/api/articles/?to={until}")) == ["Old"]


def test_search_finds_words_in_the_headline_first(client):
    make_article(title="Budget day", body="Sanctions were not mentioned.", published_at=days_ago(1))
    make_article(title="New sanctions on Russia", published_at=days_ago(5))
    make_article(title="Weather", published_at=days_ago(2))
    assert headlines(client.get("/api/articles/?q=sanctions")) == [
        "New sanctions on Russia",
        "Budget day",
    ]


def test_pages_link_to_each_other_and_the_last_one_ends(client, settings):
    settings.API_PAGE_SIZE = 2
    for n in range(5):
        make_article(title=f"Story {n}", published_at=days_ago(n + 1), tags=["Ukraine"])
    first = client.get("/api/articles/?tag=ukraine").json()
    assert first["count"] == 5 and first["previous"] is None
    assert first["next"] == "http://testserver/api/articles/?tag=ukraine&page=2"
    second = client.get(first["next"]).json()
    assert [a["headline"] for a in second["results"]] == ["Story 2", "Story 3"]
    assert second["previous"] == "http://testserver/api/articles/?tag=ukraine&page=1"
    last = client.get("/api/articles/?tag=ukraine&page=3").json()
    assert last["next"] is None and [a["headline"] for a in last["results"]] == ["Story 4"]
    assert client.get("/api/articles/?page=4").status_code == 404


@pytest.mark.parametrize(
    "url, status, says",
    [
        ("/api/articles/?from=notadate", 400, "from"),
        ("/api/articles/?from=2025-02-30", 400, "YYYY-MM-DD"),
        ("/api/articles/?from=2025-03-02&to=2025-03-01", 400, "start before the end"),
        ("/api/articles/?page=abc", 400, "page"),
        ("/api/articles/?page=0", 400, "page"),
        ("/api/articles/?tag=" + "&tag=".join(f"t{n}" for n in range(11)), 400, "at most 10"),
        ("/api/articles/?tag=no-such-tag", 404, "No such tag"),
        ("/api/articles/?event=no-such-event", 404, ""),
        ("/api/articles/?person=%00", 404, ""),
        ("/api/articles/?q=" + "x" * 201, 400, "q"),
        ("/api/articles/abc/", 400, "article_id"),
        ("/api/articles/99999999999999999999999/", 400, "article_id"),
        ("/api/articles/424242/", 404, "No published article"),
        ("/api/articles/424242/ninjs/", 404, "No published article"),
        ("/api/tags/?page=-1", 400, "page"),
        ("/api/nowhere/", 404, ""),
    ],
)
def test_bad_input_answers_a_json_error_that_says_what_is_wrong(client, url, status, says):
    response = client.get(url)
    assert response.status_code == status
    if url != "/api/nowhere/":
        assert response["Content-Type"].startswith("application/json")
        assert says in response.json()["detail"]


def test_vocabularies_list_with_counts_of_published_articles(client):
    summit, lammy = make_event(name="Summit"), make_person(name="David Lammy")
    for n in range(3):
        article = make_article(tags=["Ukraine"] + (["Defence"] if n == 0 else []))
        link_event(article, summit)
        make_quote(article, lammy)
    make_quote(make_article(tags=["Ukraine"], status=Article.Status.DRAFT), lammy)

    tags = {t["name"]: t["article_count"] for t in client.get("/api/tags/").json()["results"]}
    assert tags == {"Defence": 1, "Ukraine": 3}
    [event] = client.get("/api/events/").json()["results"]
    assert (event["name"], event["article_count"]) == ("Summit", 3)
    assert event["articles"] == "http://testserver/api/articles/?event=summit"
    [person] = client.get("/api/people/").json()["results"]
    assert (person["name"], person["article_count"], person["role"]) == (
        "David Lammy",
        3,
        "Minister",
    )


def test_unchanged_answers_revalidate_with_etag_and_304(client):
    make_article(title="Story")
    first = client.get("/api/articles/")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/api/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    make_article(title="Another story")
    changed = client.get("/api/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Another story" in changed.content.decode()


@pytest.mark.parametrize("url", ["/api/articles/", "/api/tags/", "/api/events/", "/api/people/"])
def test_list_endpoints_run_the_same_queries_for_one_article_or_many(
    client, url, django_assert_num_queries
):
    """Guards against an N+1 over tags, authors, quotes, event links or corrections."""

    def add_article():
        article = make_article(tags=["Ukraine", f"Tag {Article.objects.count()}"])
        article.authors.add(make_user())
        make_quote(article)
        link_event(article)
        make_correction(article)

    add_article()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(6):
        add_article()
    with django_assert_num_queries(len(one.captured_queries)):
        data = client.get(url).json()
    assert len(data["results"]) > 1
