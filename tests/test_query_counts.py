"""
Every public page runs as many SQL queries for twelve articles as for two.

Each test reads a page once to warm per-process caches, counts the queries of two
reads over a small newsroom (two articles, one of everything): the first after every
article's stored parts were emptied, which renders them, and the next, which reads them
(see articles.fragments). It then grows the same newsroom to twelve articles with
several tags, authors, quotes, events and corrections each (and more of all of them on
the lead article), reads the page twice again, checks that the extra content is really
on it, and compares the counts.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.fragments import everything_stale
from articles.models import ArticleEvent
from tests.factories import (
    link_event,
    make_article,
    make_correction,
    make_event,
    make_person,
    make_picture,
    make_quote,
    make_user,
)

pytestmark = pytest.mark.django_db

KINDS = list(ArticleEvent.Kind)
NEWEST = "Harbour story 12"  # the last article added when the newsroom grows


class Newsroom:
    """Articles on the tags Harbour and Tides, the event Harbour Summit and one speaker."""

    def __init__(self):
        self.speaker = make_person(name="Common Speaker")
        self.event = make_event(name="Harbour Summit")
        self.numbers = {}
        self.lead = self.add_article(extras=1)
        self.add_article(extras=1)

    def add_article(self, extras):
        n = len(self.numbers) + 1
        article = make_article(
            tags=["Harbour", "Tides"],
            title=f"Harbour story {n}",
            slug=f"harbour-story-{n}",
            standfirst=f"Standfirst of harbour story {n}.",
            published_at=timezone.now() - datetime.timedelta(hours=1, minutes=n),
            # Every article with a lead picture: pages and lists show it from the row.
            lead_image=make_picture((500, 300), alt=f"Harbour picture {n}"),
        )
        self.numbers[article.pk] = n
        make_quote(article, self.speaker, text=f"Harbour remark {n}.")
        link_event(article, self.event, KINDS[n % len(KINDS)])
        self.enrich(article, extras)
        return article

    def enrich(self, article, extras):
        """``extras`` more tags, authors, quotes, events and corrections, labelled like “12-3”."""
        today = timezone.localdate()
        start = article.corrections.count()
        for i in range(start, start + extras):
            label = f"{self.numbers[article.pk]}-{i}"
            article.tags.add(f"Topic {label}")
            article.authors.add(make_user(first_name="Writer", last_name=label))
            make_quote(article, make_person(name=f"Speaker {label}"), text=f"Remark {label}.")
            starts_on = today + datetime.timedelta(days=30 + i if i % 2 else -30 - i)
            link_event(article, make_event(name=f"Meeting {label}", starts_on=starts_on))
            make_correction(article, text=f"Correction {label}.")

    def grow(self):
        for _ in range(10):
            self.add_article(extras=4)
        self.enrich(self.lead, extras=5)


@pytest.fixture
def newsroom():
    return Newsroom()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries], response.content.decode()


def rendering_then_stored(client, url):
    """The queries of a read that renders every article's parts, and of the next one."""
    everything_stale()
    rendering, content = count_queries(client, url)
    stored, stored_content = count_queries(client, url)
    assert stored_content == content, f"{url} changed when read from its stored parts"
    return {"rendering": rendering, "stored": stored}, content


def assert_constant(client, newsroom, url, *grown):
    """``url`` runs the same queries before and after the newsroom grows."""
    client.get(url)
    small, _ = rendering_then_stored(client, url)
    newsroom.grow()
    big, content = rendering_then_stored(client, url)
    for text in grown or [NEWEST]:
        assert text in content, f"{url} does not show {text!r} after growing"
    for read in small:
        assert len(big[read]) == len(small[read]), (
            f"{url}, {read}: {len(small[read])} queries for 2 articles, "
            f"{len(big[read])} for 12:\n" + "\n".join(big[read])
        )
    return small


def test_front_page(client, newsroom):
    """Guards the N+1 on each teaser's tags."""
    assert_constant(client, newsroom, "/")


def test_article_list(client, newsroom):
    """Guards the N+1 on each listed article's tags."""
    assert_constant(client, newsroom, "/articles/")


def test_article_list_with_every_filter(client, newsroom):
    """Guards the N+1 on the filtered articles' tags, the filter chips and the facet counts."""
    today = timezone.localdate()
    url = (
        "/articles/?tag=harbour&tag=tides&event=harbour-summit&person=common-speaker"
        f"&from={today - datetime.timedelta(days=3):%Y-%m-%d}"
        f"&to={today + datetime.timedelta(days=1):%Y-%m-%d}"
    )
    assert_constant(client, newsroom, url, "12 articles")


def test_article_page(client, newsroom):
    """
    Guards the N+1 on the article's tags, authors, quote speakers, events and corrections;
    read from its stored parts, the page takes the article with its parts, then “More on
    this” (the newest neighbours by tag and event, and which of them are public): three.
    """
    url = newsroom.lead.get_absolute_url()
    counts = assert_constant(
        client,
        newsroom,
        url,
        "Remark 1-5.",
        "Writer 1-5",
        "Meeting 1-5",
        "Correction 1-5.",
        "Topic 1-5",
        'alt="Harbour picture 1"',
    )
    assert len(counts["stored"]) == 3, counts["stored"]


def test_tag_index(client, newsroom):
    """Guards the N+1 on each tag's article count."""
    assert_constant(client, newsroom, "/tags/", "Topic 12-3")


def test_tag_page(client, newsroom):
    """Guards the N+1 on tags of the listed articles and on the related tags and events."""
    assert_constant(client, newsroom, "/tags/harbour/", NEWEST, "12 articles")


def test_two_tag_page(client, newsroom):
    """Guards the N+1 on the tags of articles carrying both tags and on the chip links."""
    assert_constant(client, newsroom, "/tags/harbour+tides/", NEWEST, "12 articles")


def test_event_index(client, newsroom):
    """Guards the N+1 on each listed event, upcoming and past."""
    assert_constant(client, newsroom, "/events/", "Meeting 12-3")


def test_event_page(client, newsroom):
    """Guards the N+1 on each covering article, grouped by kind of link."""
    assert_constant(client, newsroom, "/events/harbour-summit/")


def test_person_page(client, newsroom):
    """Guards the N+1 on the article of each quote and on the articles quoting the person."""
    assert_constant(client, newsroom, "/people/common-speaker/", "Harbour remark 12.")


def test_search(client, newsroom):
    """Guards the N+1 on each search result's article."""
    assert_constant(client, newsroom, "/search/?q=harbour", "12 results")


def test_corrections(client, newsroom):
    """Guards the N+1 on the article each correction belongs to."""
    assert_constant(client, newsroom, "/corrections/", "Correction 12-3.")


def test_latest_feed(client, newsroom):
    """Guards the N+1 on each entry's authors (byline) and tags (categories)."""
    assert_constant(client, newsroom, "/feeds/latest/", NEWEST, "Writer 12-3")


def test_tag_feed(client, newsroom):
    """Guards the N+1 on each entry's authors and tags in a tag's feed."""
    assert_constant(client, newsroom, "/tags/harbour/feed/", NEWEST, "Topic 12-3")


def test_event_feed(client, newsroom):
    """Guards the N+1 on each entry's authors and tags in an event's feed."""
    assert_constant(client, newsroom, "/events/harbour-summit/feed/", NEWEST, "Writer 12-3")


def test_sitemap_index(client, newsroom):
    """Guards the N+1 on each section's latest change and page count."""
    assert_constant(client, newsroom, "/sitemap.xml", "sitemap-people.xml")


@pytest.mark.parametrize(
    ("section", "grown"),
    [
        ("pages", "/tags/"),
        ("articles", "/harbour-story-12/"),
        ("tags", "/tags/topic-12-3/"),
        ("events", "/events/meeting-12-3/"),
        ("people", "/people/speaker-12-3/"),
    ],
)
def test_sitemap_section(client, newsroom, section, grown):
    """Guards the N+1 on each listed item's address and last change."""
    assert_constant(client, newsroom, f"/sitemap-{section}.xml", grown)


def test_news_sitemap(client, newsroom):
    """Guards the N+1 on each news article's tags (keywords)."""
    assert_constant(client, newsroom, "/sitemap-news.xml", NEWEST, "Topic 12-3")


@pytest.mark.parametrize(
    "url, queries",
    [
        # The ranked ids of the matches (SQLite: the newest, then which of them match in
        # the headline or standfirst); the page's articles.
        ("/search/?q=harbour", {"sqlite": 3, "postgresql": 2}),
        ("/events/harbour-summit/", 2),  # the event; its public articles, grouped by kind
        ("/people/common-speaker/", 4),  # the person; their articles; their quotes, counted
        ("/feeds/latest/", 3),  # the entries; their authors; their tags
        ("/tags/harbour/feed/", 5),  # the tag, its count (to choose a plan), then as latest
        ("/events/harbour-summit/feed/", 5),  # the event, its count, then as latest
    ],
)
def test_lists_take_a_few_queries_each(client, newsroom, django_assert_num_queries, url, queries):
    """
    Guards the queries that lists no longer make: a lookup of renamed addresses before
    every page, a public check besides the content that proves it, a second query to
    rank search results on PostgreSQL, the model instances and their relations fetched
    row by row.
    """
    if isinstance(queries, dict):
        queries = queries[connection.vendor]
    newsroom.grow()
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_article_page_with_twenty_body_pictures(client, newsroom):
    """
    Guards an N+1 on the library pictures of a body (and their galleries): a story with
    twenty body pictures reads as many queries as one with one, rendering its parts or
    reading them stored (at most six, as readers mostly get it).
    """
    pictures = [make_picture((640, 480), alt=f"Body picture {n}") for n in range(1, 21)]
    one = make_article(title="One picture", body=f"Text.\n\n::: picture {pictures[0].pk}")
    blocks = [f"::: picture {p.pk} {('inline', 'wide', 'full')[n % 3]}"
              for n, p in enumerate(pictures[:16])]  # fmt: skip
    blocks.append("::: gallery " + " ".join(str(p.pk) for p in pictures[16:]))
    twenty = make_article(title="Twenty pictures", body="Text.\n\n" + "\n\n".join(blocks))
    counts = {}
    for article in (one, twenty):
        url = article.get_absolute_url()
        client.get(url)
        counts[article.title], content = rendering_then_stored(client, url)
    assert all(f'alt="Body picture {n}"' in content for n in range(1, 21))
    images = re.findall(r"<img [^>]*>", content)
    assert images and all('width="' in i and 'height="' in i for i in images)
    for read in ("rendering", "stored"):
        small, big = counts["One picture"][read], counts["Twenty pictures"][read]
        assert len(big) == len(small), "\n".join(big)
    assert len(counts["Twenty pictures"]["stored"]) <= 6
