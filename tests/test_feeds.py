"""Atom feeds: the latest articles, one tag's and one event's, read as a feed reader would."""

import datetime
import html.parser
from xml.etree import ElementTree

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.factories import link_event, make_article, make_event, make_user

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def titles(feed):
    return [entry.title for entry in feed.entries]


def published(entry):
    return datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)


@pytest.fixture
def unpublished():
    """A draft, an article in review and a scheduled one, all tagged and linked to an event."""
    event = make_event(name="Harbour Conference")
    articles = [
        make_article(title="Draft story", status=Article.Status.DRAFT, tags=["Shipping"]),
        make_article(title="Story in review", status=Article.Status.IN_REVIEW, tags=["Shipping"]),
        make_article(
            title="Scheduled story",
            published_at=timezone.now() + datetime.timedelta(hours=3),
            tags=["Shipping"],
        ),
    ]
    for article in articles:
        link_event(article, event)
    return event


# /feeds/latest/


def test_the_latest_feed_describes_the_site(client):
    feed = read_feed(client, "/feeds/latest/")
    assert feed.feed.title == f"{settings.SITE_NAME}: latest"
    assert feed.feed.subtitle == f"The latest articles from {settings.SITE_NAME}."
    assert feed.feed.link == f"{ORIGIN}/"


@pytest.mark.parametrize("path", ["/feeds/latest/", "/tags/ukraine/feed/"])
def test_a_feed_goes_out_in_one_piece_not_a_packet_per_xml_element(client, path):
    for n in range(5):
        make_article(title=f"Story {n}", tags=["Ukraine"])
    response = client.get(path)
    assert response.status_code == 200
    assert len(list(response)) == 1  # what the WSGI server sends, write by write


def test_each_entry_has_its_title_absolute_link_date_summary_and_tags(client):
    article = make_article(
        title="Tanker seized",
        standfirst="The coastguard boarded at dawn.",
        tags=["Shipping", "Black Sea"],
        published_at=ago(hours=5),
    )
    (entry,) = read_feed(client, "/feeds/latest/").entries
    assert entry.title == "Tanker seized"
    assert entry.link == ORIGIN + article.get_absolute_url()
    assert entry.link.startswith(f"{ORIGIN}/articles/")
    assert published(entry) == article.published_at.replace(microsecond=0)
    assert entry.summary == "The coastguard boarded at dawn."
    assert sorted(tag.term for tag in entry.tags) == ["Black Sea", "Shipping"]


def test_an_entry_names_its_authors_or_else_the_site(client):
    reporter = make_user(first_name="Ada", last_name="Byline")
    with_author = make_article(title="Signed", published_at=ago(hours=1))
    with_author.authors.add(reporter)
    make_article(title="Unsigned", published_at=ago(hours=2))
    entries = read_feed(client, "/feeds/latest/").entries
    assert [(entry.title, entry.author) for entry in entries] == [
        ("Signed", "Ada Byline"),
        ("Unsigned", settings.SITE_NAME),
    ]


def test_entries_are_newest_first(client):
    make_article(title="Middle", published_at=ago(days=2))
    make_article(title="Newest", published_at=ago(minutes=5))
    make_article(title="Oldest", published_at=ago(days=30))
    entries = read_feed(client, "/feeds/latest/").entries
    assert [entry.title for entry in entries] == ["Newest", "Middle", "Oldest"]
    dates = [published(entry) for entry in entries]
    assert dates == sorted(dates, reverse=True)


def test_only_published_and_due_articles_are_in_the_latest_feed(client, unpublished):
    make_article(title="Published story")
    assert titles(read_feed(client, "/feeds/latest/")) == ["Published story"]


def test_the_latest_feed_holds_the_30_newest(client):
    for hours in range(31):
        make_article(title=f"Story {hours}", published_at=ago(hours=hours + 1))
    feed_titles = titles(read_feed(client, "/feeds/latest/"))
    assert len(feed_titles) == 30
    assert feed_titles[0] == "Story 0"
    assert "Story 30" not in feed_titles


def test_markup_in_a_headline_stays_text_and_the_feed_well_formed(client):
    make_article(title="Tom & Jerry <script>alert(1)</script>", standfirst="Cats <b>& mice")
    response = client.get("/feeds/latest/")
    assert b"<script>" not in response.content
    (entry,) = read_feed(client, "/feeds/latest/").entries
    assert entry.title == "Tom & Jerry <script>alert(1)</script>"


def test_a_control_character_in_a_headline_does_not_break_the_feed(client):
    client.raise_request_exception = False
    make_article(title="Line\vbreak from a word processor")
    feed = read_feed(client, "/feeds/latest/")
    assert len(feed.entries) == 1


def test_a_control_character_in_a_tag_name_does_not_break_the_feed(client):
    """Each tag's <category> is written once per process (category_xml): cleaned too."""
    make_article(title="First", tags=["Ports\vand harbours", "Grain"])
    make_article(title="Second", tags=["Ports\vand harbours"])
    for _ in range(2):  # written, then reused
        feed = read_feed(client, "/feeds/latest/")
        assert [[tag.term for tag in entry.tags] for entry in feed.entries] == [
            ["Ports and harbours"],
            ["Ports and harbours", "Grain"],
        ]


# /tags/<slug>/feed/


def test_a_tag_feed_holds_only_that_tags_published_articles(client, unpublished):
    tagged_old = make_article(
        title="Old shipping story", tags=["Shipping"], published_at=ago(days=3)
    )
    make_article(title="New shipping story", tags=["Shipping", "Ports"], published_at=ago(hours=1))
    make_article(title="Grain story", tags=["Grain"])
    feed = read_feed(client, "/tags/shipping/feed/")
    assert feed.feed.title == f"{settings.SITE_NAME}: Shipping"
    assert feed.feed.link == f"{ORIGIN}/tags/shipping/"
    assert titles(feed) == ["New shipping story", "Old shipping story"]
    assert feed.entries[1].link == ORIGIN + tagged_old.get_absolute_url()
    assert all("Shipping" in [tag.term for tag in entry.tags] for entry in feed.entries)


def test_a_tag_feed_holds_its_30_latest_by_publication_not_by_writing(client):
    """Articles are written in one order and published in another: the feed follows the latter."""
    hours = [(n * 7) % 31 + 1 for n in range(31)]  # each of 1..31 once, shuffled
    for n in hours:
        make_article(title=f"Shipping {n}", tags=["Shipping"], published_at=ago(hours=n))
    make_article(title="Grain story", tags=["Grain"], published_at=ago(minutes=1))
    assert titles(read_feed(client, "/tags/shipping/feed/")) == [
        f"Shipping {n}" for n in range(1, 31)
    ]


def test_an_entry_names_its_authors_in_the_order_they_were_added(client):
    article = make_article(title="Signed twice")
    for first_name in ["Zoe", "Ada", "Mo"]:
        article.authors.add(make_user(first_name=first_name, last_name="Byline"))
    (entry,) = read_feed(client, "/feeds/latest/").entries
    assert entry.author == "Zoe Byline, Ada Byline and Mo Byline"


def test_a_tag_with_no_published_articles_has_no_feed(client, unpublished):
    """A tag known only from drafts does not exist for readers: its name could tell."""
    assert client.get("/tags/shipping/feed/").status_code == 404


def test_an_unknown_tag_feed_answers_404(client):
    make_article(tags=["Shipping"])
    assert client.get("/tags/no-such-tag/feed/").status_code == 404


def test_a_tag_with_a_non_ascii_name_has_a_feed(client):
    make_article(title="Talks in Zürich", tags=["Zürich"])
    assert client.get("/tags/zürich/").status_code == 200
    feed = read_feed(client, "/tags/zürich/feed/")
    assert titles(feed) == ["Talks in Zürich"]
    assert feed.feed.link == f"{ORIGIN}/tags/z%C3%BCrich/"


# /events/<slug>/feed/


def test_an_event_feed_holds_only_that_events_published_articles(client, unpublished):
    summit = make_event(name="UK–EU Summit")
    preview = make_article(title="Summit preview", published_at=ago(days=2))
    report = make_article(title="Summit report", published_at=ago(hours=2))
    link_event(preview, summit)
    link_event(report, summit)
    link_event(make_article(title="Other event story"), make_event(name="Grain Forum"))
    make_article(title="Unlinked story")
    feed = read_feed(client, "/events/uk-eu-summit/feed/")
    assert feed.feed.title == f"{settings.SITE_NAME}: UK–EU Summit"
    assert feed.feed.link == f"{ORIGIN}/events/uk-eu-summit/"
    assert titles(feed) == ["Summit report", "Summit preview"]
    assert feed.entries[0].link == ORIGIN + report.get_absolute_url()


def test_an_event_with_only_unpublished_articles_has_no_feed(client, unpublished):
    assert client.get(f"/events/{unpublished.slug}/feed/").status_code == 404


def test_an_unknown_event_feed_answers_404(client):
    link_event(make_article())
    assert client.get("/events/no-such-event/feed/").status_code == 404


# What editors type is text in every feed, never markup a reader would run.

HOSTILE = '<img src=x onerror="alert(1)">'
ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_ELEMENTS = {
    "feed", "title", "link", "id", "updated", "subtitle", "entry", "published", "author",
    "name", "summary", "category", "content",
}  # fmt: skip
ATOM_ATTRIBUTES = {"href", "rel", "term", "type", "{http://www.w3.org/XML/1998/namespace}lang"}


class StartTags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def elements_in_html(value):
    parser = StartTags()
    parser.feed(value)
    parser.close()
    return parser.tags


@pytest.fixture
def hostile_feeds():
    """Every feed, with markup in each headline, standfirst, byline, tag and event name."""
    reporter = make_user(first_name=HOSTILE, last_name="<b>Byline</b>")
    event = make_event(name=f"Summit {HOSTILE}")
    article = make_article(title=f"Headline {HOSTILE}", standfirst=HOSTILE, tags=[HOSTILE])
    article.authors.add(reporter)
    link_event(article, event)
    tag = Tag.objects.get(name=HOSTILE)
    return ["/feeds/latest/", f"/tags/{tag.slug}/feed/", f"/events/{event.slug}/feed/"]


def test_no_element_or_attribute_made_of_editors_text_reaches_the_feed_xml(client, hostile_feeds):
    for url in hostile_feeds:
        response = client.get(url)
        assert response.status_code == 200
        assert b"<img" not in response.content
        root = ElementTree.fromstring(response.content)
        for element in root.iter():
            assert element.tag.removeprefix(ATOM) in ATOM_ELEMENTS, (url, element.tag)
            assert set(element.attrib) <= ATOM_ATTRIBUTES, (url, element.attrib)
        # Readers render an html summary as markup: the standfirst must be text in it.
        (summary,) = root.iter(f"{ATOM}summary")
        assert summary.get("type") == "html"
        assert elements_in_html(summary.text) == []
        assert html.unescape(summary.text) == HOSTILE


def test_a_feed_reader_shows_markup_from_editors_as_text(client, hostile_feeds):
    for url in hostile_feeds:
        feed = read_feed(client, url)
        (entry,) = feed.entries
        assert entry.summary_detail.type == "text/html"
        assert elements_in_html(entry.summary) == []
        assert html.unescape(entry.summary) == HOSTILE
        assert entry.title_detail.type == "text/plain"
        assert entry.title == f"Headline {HOSTILE}"
        assert entry.author == f"{HOSTILE} <b>Byline</b>"
        assert [tag.term for tag in entry.tags] == [HOSTILE]
        assert feed.feed.title_detail.type == "text/plain"
