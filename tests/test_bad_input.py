"""
Mistyped, malicious or merely unusual addresses get a readable page, never a crash.

Unknown names answer 404 and malformed values 400, each in the site's own layout with
a sentence a reader can act on; no debug page or traceback ever reaches them.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from taggit.models import Tag

from tests.factories import (
    link_event,
    make_article,
    make_correction,
    make_event,
    make_person,
    make_quote,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = "There is no page at this address."
BAD_REQUEST = "We could not understand that request"
BAD_DATES = "Dates must be written as YYYY-MM-DD, with the start before the end."
ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def reader():
    """A browser that gets the error page a reader would see, not the exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def known():
    """A published article with a tag, an event, a speaker and a correction to aim at."""
    article = make_article(
        tags=["Ukraine"],
        title="Talks resume in Geneva",
        slug="talks-resume",
        published_at=datetime.datetime(2025, 3, 18, 9, 0, tzinfo=datetime.UTC),
    )
    make_quote(article, make_person(name="David Lammy"))
    link_event(article, make_event(name="UK–EU Summit", slug="uk-eu-summit"))
    make_correction(article)
    return article


def assert_readable(response, status, sentence):
    body = response.content.decode("utf-8", errors="replace")
    assert response.status_code == status, f"answered {response.status_code}: {body[:300]}"
    assert response["Content-Type"].startswith("text/html")
    assert sentence in body
    assert "<h1>" in body and 'href="/"' in body  # the site's layout, with a way out
    for debug in ("Traceback", "DEBUG = True", "Exception Value", "Request Method"):
        assert debug not in body


@pytest.mark.parametrize(
    "url",
    [
        "/articles/2025/03/18/no-such-article/",
        "/articles/2025/03/19/talks-resume/",
        "/tags/no-such-tag/",
        "/tags/no-such-tag/feed/",
        "/tags/ukraine+no-such-tag/",
        "/tags/no-such-tag+ukraine/",
        "/tags/ukraine+ukraine+no-such-tag/",
        "/events/no-such-event/",
        "/events/no-such-event/feed/",
        "/people/no-such-person/",
        "/articles/?tag=no-such-tag",
        "/articles/?tag=ukraine&tag=no-such-tag",
        "/articles/?event=no-such-event",
        "/articles/?person=no-such-person",
        "/sitemap-no-such-section.xml",
        "/no-such-page/",
    ],
)
def test_unknown_names_answer_404(reader, known, url):
    assert_readable(reader.get(url), 404, NOT_FOUND)


def test_the_known_names_used_above_do_exist(reader, known):
    """The 404s above come from the unknown part, not from a broken fixture."""
    for url in ["/tags/ukraine/", "/tags/ukraine/feed/", "/events/uk-eu-summit/"]:
        assert reader.get(url).status_code == 200, url
    assert reader.get("/people/david-lammy/").status_code == 200
    assert reader.get("/articles/2025/03/18/talks-resume/").status_code == 200


PAGINATED = [
    "/",
    "/articles/",
    "/articles/?tag=ukraine",
    "/tags/ukraine/",
    "/people/david-lammy/",
    "/search/?q=talks",
    "/corrections/",
]


@pytest.mark.parametrize(
    "page",
    [
        "abc",
        "0",
        "-1",
        "999999",
        "1.5",
        "%00",
        "1e3",
        "9" * 20,
        pytest.param("9" * 5_000, id="5000-digits"),
    ],
)
@pytest.mark.parametrize("url", PAGINATED)
def test_impossible_page_numbers_answer_404(reader, known, url, page):
    separator = "&" if "?" in url else "?"
    assert_readable(reader.get(f"{url}{separator}page={page}"), 404, NOT_FOUND)


@pytest.mark.parametrize("url", PAGINATED)
def test_page_1_of_every_list_is_fine(reader, known, url):
    separator = "&" if "?" in url else "?"
    response = reader.get(f"{url}{separator}page=1")
    assert response.status_code == 200
    assert "resume in Geneva" in response.content.decode()


@pytest.mark.parametrize("section", ["pages", "articles", "tags", "events", "people"])
@pytest.mark.parametrize(
    "page", ["abc", "0", "-1", "999999", "1.5", pytest.param("9" * 5_000, id="5000-digits")]
)
def test_impossible_sitemap_pages_answer_404(reader, known, section, page):
    assert_readable(reader.get(f"/sitemap-{section}.xml?p={page}"), 404, NOT_FOUND)


@pytest.mark.parametrize(
    "query",
    [
        "from=notadate",
        "to=notadate",
        "from=2025-02-30",
        "to=2025-02-30",
        "from=2025-13-01",
        "from=2025-03-02&to=2025-03-01",
        "from=99999-01-01",
        "to=0000-01-01",
        "from=18/03/2025",
        "from=2025-03-18T09:00",
        "from=%00",
        "to=%ff",
        "tag=ukraine&from=2025-03-19&to=2025-03-18",
    ],
)
def test_malformed_dates_answer_400_with_the_format_to_use(reader, known, query):
    response = reader.get(f"/articles/?{query}")
    assert_readable(response, 400, BAD_REQUEST)
    assert BAD_DATES in response.content.decode()


def test_a_good_date_range_is_fine(reader, known):
    response = reader.get("/articles/?from=2025-03-18&to=2025-03-18")
    assert response.status_code == 200
    assert "Talks resume in Geneva" in response.content.decode()


def test_more_than_ten_tags_answer_400(reader):
    tags = [f"Topic {n}" for n in range(11)]
    make_article(tags=tags)
    slugs = [f"topic-{n}" for n in range(11)]

    ten = reader.get("/articles/", {"tag": slugs[:10]})
    assert ten.status_code == 200
    assert "1 article" in ten.content.decode()

    eleven = reader.get("/articles/", {"tag": slugs})
    assert_readable(eleven, 400, BAD_REQUEST)
    assert "Choose at most 10 tags at a time." in eleven.content.decode()


def test_a_search_of_ten_thousand_characters_answers_400(reader, known):
    response = reader.get("/search/", {"q": "talks " * 1666 + "talk"})
    assert_readable(response, 400, BAD_REQUEST)
    assert "Search for at most 200 characters at a time." in response.content.decode()


def test_a_search_of_two_hundred_characters_is_fine(reader, known):
    response = reader.get("/search/", {"q": "talks " + "x" * 194})
    assert response.status_code == 200
    assert "Nothing matches" in response.content.decode()


@pytest.mark.parametrize(
    "raw_query",
    [
        pytest.param("%D9%85%D8%B1%D8%AD%D8%A8%D8%A7+talks", id="arabic-rtl"),
        pytest.param("%D7%A9%D7%9C%D7%95%D7%9D", id="hebrew-rtl"),
        pytest.param("%E2%80%AEtalks%E2%80%AC", id="rtl-override"),
        pytest.param("e%CC%81%CC%81%CC%81+a%CD%9C%CD%9D", id="combining-marks"),
        pytest.param("%CC%81%CC%81", id="combining-marks-alone"),
        pytest.param("%F0%9F%87%BA%F0%9F%87%A6+%F0%9F%91%8D%F0%9F%8F%BD", id="emoji"),
        pytest.param("%00", id="nul"),
        pytest.param("talks%00geneva", id="nul-inside"),
        pytest.param("%ff", id="invalid-utf8"),
        pytest.param("talks%ff%fe", id="invalid-utf8-after-word"),
        pytest.param("%ED%A0%80", id="lone-surrogate"),
        pytest.param("%EF%BF%BF%EF%BF%BE", id="noncharacters"),
        pytest.param("%E2%80%8B%E2%80%8D", id="zero-width"),
        pytest.param("%27%22%3C%3E%26%25_%5C", id="quotes-and-wildcards"),
        pytest.param("%3Cscript%3Ealert(1)%3C%2Fscript%3E", id="markup"),
        pytest.param("+".join(f"w{n}" for n in range(40)), id="forty-words"),
    ],
)
def test_unusual_unicode_in_a_search_is_answered_like_any_search(reader, known, raw_query):
    response = reader.get(f"/search/?q={raw_query}")
    body = response.content.decode()
    assert_readable(response, 200, "<h1>Search</h1>")
    assert re.search(r"\d+ results? for “", body), "the page does not say what it searched for"
    assert "<script>alert(1)" not in body


def test_a_search_in_unicode_finds_the_article(reader):
    article = make_article(title="Gespräche in Zürich über die Ukraine")
    response = reader.get("/search/", {"q": "zürich"})
    assert response.status_code == 200
    assert article.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/tags/z%C3%BCrich/",
        "/tags/%E6%97%A5%E6%9C%AC/",
        "/tags/%D9%85%D8%B1%D8%AD%D8%A8%D8%A7/",
        "/tags/e%CC%81/",
        "/tags/%F0%9F%87%BA%F0%9F%87%A6/",
        "/tags/%ff/",
        "/tags/%00/",
        "/tags/ukraine+z%C3%BCrich/",
        "/tags/z%C3%BCrich/feed/",
        "/events/z%C3%BCrich/",
        "/events/%ff/feed/",
        "/people/z%C3%BCrich/",
        "/people/%00/",
        "/articles/2025/03/18/z%C3%BCrich/",
        "/articles/?tag=z%C3%BCrich",
        "/articles/?tag=%ff",
        "/articles/?event=z%C3%BCrich",
        "/articles/?person=%F0%9F%91%8D",
    ],
)
def test_unknown_unicode_slugs_answer_404(reader, known, url):
    assert_readable(reader.get(url), 404, NOT_FOUND)


@pytest.mark.parametrize("query", ["tag=%00", "tag=ukraine%00", "event=%00", "person=a%00b"])
def test_a_nul_byte_in_a_filter_answers_404(reader, known, query):
    assert_readable(reader.get(f"/articles/?{query}"), 404, NOT_FOUND)


def test_a_unicode_tag_has_a_page(reader):
    article = make_article(tags=["Zürich"], title="Talks in Zürich")
    for url in ["/tags/z%C3%BCrich/", "/tags/zürich/", "/articles/?tag=z%C3%BCrich"]:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert article.title in response.content.decode()
    for url in ["/", article.get_absolute_url(), "/tags/"]:
        assert 'href="/tags/z%C3%BCrich/"' in reader.get(url).content.decode(), url


def test_a_unicode_tag_has_a_feed(reader):
    """Tag slugs keep their Unicode letters, so the feed address must accept them too."""
    article = make_article(tags=["Zürich"], title="Talks in Zürich")
    page = reader.get("/tags/zürich/").content.decode()
    assert 'href="/tags/z%C3%BCrich/feed/"' in page
    response = reader.get("/tags/z%C3%BCrich/feed/")
    assert response.status_code == 200
    assert article.title in response.content.decode()


LONG = "a" * 10_000


@pytest.mark.parametrize(
    "url",
    [
        f"/tags/{LONG}/",
        f"/tags/{LONG}/feed/",
        f"/tags/ukraine+{LONG}/",
        "/tags/" + "+".join(["ukraine"] * 2_000) + "x/",
        f"/events/{LONG}/",
        f"/events/{LONG}/feed/",
        f"/people/{LONG}/",
        f"/articles/2025/03/18/{LONG}/",
        f"/articles/?tag={LONG}",
        f"/articles/?event={LONG}",
        f"/articles/?person={LONG}",
        f"/sitemap-{LONG}.xml",
        f"/{LONG}/",
    ],
    ids=lambda url: url[:24],
)
def test_very_long_slugs_answer_404(reader, known, url):
    assert_readable(reader.get(url), 404, NOT_FOUND)


def test_more_than_ten_tags_in_the_address_answer_400(reader):
    """The tag page obeys the same limit as ?tag=, before asking the database anything."""
    Tag.objects.bulk_create([Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(1_100)])
    make_article(tags=[f"Topic {n}" for n in range(10)])

    ten = reader.get("/tags/" + "+".join(f"topic-{n}" for n in range(10)) + "/")
    assert ten.status_code == 200
    assert "1 article" in ten.content.decode()

    for path in [
        "+".join(f"topic-{n}" for n in range(11)),
        "+".join(f"topic-{n}" for n in range(1_100)),
        "+".join(f"unknown-{n}" for n in range(2_000)),
    ]:
        response = reader.get(f"/tags/{path}/")
        assert_readable(response, 400, BAD_REQUEST)
        assert "Choose at most 10 tags at a time." in response.content.decode()


def test_the_same_tag_two_thousand_times_is_one_tag(reader, known):
    response = reader.get("/tags/" + "+".join(["ukraine"] * 2_000) + "/")
    assert response.status_code == 200
    assert "Talks resume in Geneva" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/articles/2025/02/30/talks-resume/",
        "/articles/2025/02/29/talks-resume/",
        "/articles/2025/02/31/talks-resume/",
        "/articles/2025/04/31/talks-resume/",
        "/articles/2025/00/10/talks-resume/",
        "/articles/2025/13/10/talks-resume/",
        "/articles/2025/03/00/talks-resume/",
        "/articles/0000/03/18/talks-resume/",
        "/articles/99999/03/18/talks-resume/",
        "/articles/" + "9" * 5_000 + "/03/18/talks-resume/",
    ],
)
def test_an_impossible_date_in_an_article_address_answers_404(reader, known, url):
    assert_readable(reader.get(url), 404, NOT_FOUND)


@pytest.mark.parametrize(
    "url",
    [
        "/articles/99999999999999999999/03/18/talks-resume/",
        "/articles/2025/99999999999999999999/18/talks-resume/",
        "/articles/2025/03/99999999999999999999/talks-resume/",
    ],
)
def test_a_date_too_big_for_the_machine_answers_404(reader, known, url):
    """Twenty digits overflow the machine integer behind a date: still just no such page."""
    assert_readable(reader.get(url), 404, NOT_FOUND)
