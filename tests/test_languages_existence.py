"""
A tag's, an event's or a speaker's page exists in a language only where it is on a public
article of that language. The switcher, the hreflang alternates and the sitemaps name a
page in another language only where it exists: never an address that answers 404.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles import listings
from articles.models import Article
from tests.factories import (
    TWO_LANGUAGES,
    link_event,
    make_article,
    make_event,
    make_person,
    make_quote,
)
from tests.test_languages_pages import hreflang, switcher

pytestmark = pytest.mark.django_db

SITE_URL = "https://news.example"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def site(bilingual):
    """
    Shared: the tag Ukraine, the event Summit and the speaker Lammy, on an English article
    and its French translation. English only: the tag Budget, the event Hearing and the
    speaker Reeves. French only: the tag Manifestation.
    """
    summit = make_event(name="Summit", slug="summit")
    hearing = make_event(name="Hearing", slug="hearing")
    lammy, reeves = make_person(name="David Lammy"), make_person(name="Rachel Reeves")
    english = make_article(title="Talks", slug="talks", tags=["Ukraine", "Budget"])
    french = make_article(
        title="Pourparlers", slug="pourparlers", language="fr", translation_of=english,
        tags=["Ukraine", "Manifestation"],
    )  # fmt: skip
    for article in [english, french]:
        link_event(article, summit)
        make_quote(article, lammy, text="We talk.")
    link_event(english, hearing)
    make_quote(english, reeves, text="We spend.")
    return english, french


ENGLISH_ONLY = ["/tags/budget/", "/events/hearing/", "/people/rachel-reeves/"]
SHARED = ["/tags/ukraine/", "/events/summit/", "/people/david-lammy/"]


@pytest.mark.parametrize("path", ENGLISH_ONLY)
def test_a_page_in_one_language_switches_to_the_other_languages_front_page(client, site, path):
    html = client.get(path).text
    assert client.get(f"/fr{path}").status_code == 404
    assert switcher(html) == {"en-gb": "current", "fr": "/fr/"}
    assert hreflang(html) == {"en-gb": SITE_URL + path, "x-default": SITE_URL + path}


@pytest.mark.parametrize("path", SHARED)
def test_a_page_in_both_languages_names_both(client, site, path):
    for here in [path, f"/fr{path}"]:
        html = client.get(here).text
        assert hreflang(html) == {
            "en-gb": SITE_URL + path,
            "fr": f"{SITE_URL}/fr{path}",
            "x-default": SITE_URL + path,
        }
    assert switcher(client.get(path).text)["fr"] == f"/fr{path}"


def test_a_tag_only_in_french_has_no_english_alternate_nor_x_default(client, site):
    html = client.get("/fr/tags/manifestation/").text
    assert client.get("/tags/manifestation/").status_code == 404
    assert hreflang(html) == {"fr": f"{SITE_URL}/fr/tags/manifestation/"}
    assert switcher(html) == {"en-gb": "/", "fr": "current"}


def test_several_tags_exist_in_a_language_where_each_of_them_does(client, site):
    """As the page answers: where each tag is public, even on no article together."""
    html = client.get("/tags/ukraine+budget/").text
    assert client.get("/fr/tags/ukraine+budget/").status_code == 404
    assert "fr" not in hreflang(html)
    assert switcher(html)["fr"] == "/fr/"
    make_article(title="Budget", slug="budget", language="fr", tags=["Budget"])
    assert client.get("/fr/tags/ukraine+budget/").status_code == 200
    html = client.get("/tags/ukraine+budget/").text
    assert hreflang(html)["fr"] == f"{SITE_URL}/fr/tags/ukraine+budget/"
    assert hreflang(client.get("/fr/tags/ukraine+budget/").text)["en-gb"] == (
        f"{SITE_URL}/tags/ukraine+budget/"
    )


def test_a_filtered_list_exists_where_every_filter_does(client, site):
    shared = client.get("/articles/?tag=ukraine&event=summit").text
    assert switcher(shared)["fr"] == "/fr/articles/?tag=ukraine&event=summit"
    assert hreflang(shared)["fr"] == f"{SITE_URL}/fr/articles/?tag=ukraine&amp;event=summit"
    english_only = client.get("/articles/?tag=ukraine&event=hearing").text
    assert client.get("/fr/articles/?tag=ukraine&event=hearing").status_code == 404
    assert switcher(english_only)["fr"] == "/fr/"
    assert "fr" not in hreflang(english_only)


def test_past_a_lists_first_page_the_other_languages_link_to_their_first(client, bilingual):
    for n in range(25):
        make_article(title=f"Story {n}", slug=f"story-{n}", tags=["Ukraine"])
    make_article(title="Histoire", slug="histoire", language="fr", tags=["Ukraine"])
    html = client.get("/articles/?tag=ukraine&page=2").text
    assert "Story 0" in html
    assert client.get("/fr/articles/?tag=ukraine&page=2").status_code == 404
    assert switcher(html) == {"en-gb": "current", "fr": "/fr/articles/?tag=ukraine"}
    # Only the page itself: the French first page is no equivalent of this one.
    assert hreflang(html) == {"en-gb": f"{SITE_URL}/articles/?tag=ukraine&amp;page=2"}


def test_publishing_a_french_article_adds_french_to_a_tags_english_page(
    client, site, settings, commit
):
    """The cached English page names its French twin as soon as there is one."""
    settings.PAGE_CACHE_SECONDS = 60
    for _ in range(3):
        client.get("/tags/budget/")
    assert client.get("/tags/budget/")["X-Cache"] == "hit"
    french = make_article(
        title="Budget", slug="budget", language="fr", tags=["Budget"],
        status=Article.Status.DRAFT,
    )  # fmt: skip

    def publish():
        french.status = Article.Status.PUBLISHED
        french.published_at = datetime.datetime.now(datetime.UTC)
        french.save()

    commit(publish)
    html = client.get("/tags/budget/").text
    assert hreflang(html)["fr"] == f"{SITE_URL}/fr/tags/budget/"
    assert switcher(html)["fr"] == "/fr/tags/budget/"

    def unpublish():
        french.status = Article.Status.DRAFT
        french.save()

    commit(unpublish)
    html = client.get("/tags/budget/").text
    assert "fr" not in hreflang(html)
    assert switcher(html)["fr"] == "/fr/"


def section(client, name):
    root = ET.fromstring(client.get(f"/sitemap-{name}.xml").content)
    listed = {}
    for url in root.findall("sm:url", NS):
        alternates = {
            link.get("hreflang"): urlsplit(link.get("href")).path
            for link in url.findall("xhtml:link", NS)
        }
        listed[urlsplit(url.find("sm:loc", NS).text).path] = alternates
    return listed


def test_the_sitemaps_list_each_page_in_the_languages_it_exists_in(client, site):
    tags = section(client, "tags")
    assert set(tags) == {
        "/tags/ukraine/",
        "/fr/tags/ukraine/",
        "/tags/budget/",
        "/fr/tags/manifestation/",
    }
    assert tags["/tags/budget/"] == {"en-gb": "/tags/budget/", "x-default": "/tags/budget/"}
    assert tags["/fr/tags/manifestation/"] == {"fr": "/fr/tags/manifestation/"}
    assert tags["/fr/tags/ukraine/"] == {
        "en-gb": "/tags/ukraine/",
        "fr": "/fr/tags/ukraine/",
        "x-default": "/tags/ukraine/",
    }
    assert set(section(client, "events")) == {
        "/events/summit/", "/fr/events/summit/", "/events/hearing/",
    }  # fmt: skip
    assert set(section(client, "people")) == {
        "/people/david-lammy/", "/fr/people/david-lammy/", "/people/rachel-reeves/",
    }  # fmt: skip


def test_every_address_the_site_gives_a_reader_or_a_crawler_answers(client, site):
    """From both front pages and the sitemaps, every link of every page found, followed."""
    seen, queue, broken = set(), ["/", "/fr/", "/sitemap.xml"], []
    while queue and len(seen) < 400:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow=False)
        if response.status_code not in (200, 301, 302):
            broken.append((response.status_code, path))
            continue
        if response.status_code != 200:
            links = [response["Location"]]
        elif "calendar" in response["Content-Type"]:
            continue
        else:
            links = re.findall(r'(?:href="|<loc>)([^"<]+)', response.content.decode())
        for link in links:
            address = urlsplit(link.replace("&amp;", "&"))
            if address.netloc not in ("", "news.example", "testserver"):
                continue
            if address.path.startswith(("/static/", "/media/", "/admin/", "/api/")):
                continue
            queue.append(address.path + (f"?{address.query}" if address.query else ""))
    assert len(seen) > 40
    assert broken == []


def test_a_subject_s_other_languages_are_looked_for_among_its_newest_articles(
    client, bilingual, monkeypatch
):
    """Bounded, whatever the subject's size: a French article older than the tag's newest
    (here two) is not looked at, and the French page, which exists, is not named; never
    the reverse, a page named that does not exist."""
    monkeypatch.setattr(listings, "NEWEST_LINKS", 2)
    make_article(title="Ancienne", slug="ancienne", language="fr", tags=["Harbour"])
    for n in range(2):
        make_article(title=f"Harbour {n}", slug=f"harbour-{n}", tags=["Harbour"])
    assert client.get("/fr/tags/harbour/").status_code == 200
    assert "fr" not in hreflang(client.get("/tags/harbour/").text)
    make_article(title="Nouvelle", slug="nouvelle", language="fr", tags=["Harbour"])
    assert "fr" in hreflang(client.get("/tags/harbour/").text)


@pytest.mark.parametrize("page", ["01", ""])
def test_the_first_page_by_any_name_keeps_its_alternates(client, site, page):
    html = client.get(f"/tags/ukraine/?page={page}").text
    assert hreflang(html)["fr"] == f"{SITE_URL}/fr/tags/ukraine/?page={page}"


def test_a_page_number_too_long_to_read_is_no_error_on_a_page_without_pages(client, site):
    response = client.get("/events/summit/?page=" + "9" * 5000)
    assert response.status_code == 200
    assert hreflang(response.text) == {"en-gb": SITE_URL + "/events/summit/?page=" + "9" * 5000}


def test_a_subject_page_costs_one_query_more_on_a_site_of_several_languages(client, site):
    """Which other languages it exists in, for every one of them, in one query."""

    def queries(path):
        client.get(path)  # parts rendered and stored
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    for path in ["/tags/ukraine/", "/events/summit/", "/people/david-lammy/"]:
        several = queries(path)
        with override_settings(LANGUAGES=TWO_LANGUAGES[:1]):
            assert queries(path) == several - 1, path
