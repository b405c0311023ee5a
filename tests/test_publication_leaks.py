"""
Nothing unpublished reaches a reader, on any public address.

One published article and three that are not (a draft, one in review, one scheduled
an hour ahead) share a tag, an event and a speaker with 25 older published articles,
and each has its own tag, event, speaker, quotes and correction. Every public page,
feed and sitemap is then read, including the unpublished articles' own tag, event and
speaker pages, second pages of lists and searches for their words. No response may
carry an unpublished headline, standfirst, quote, correction or address, and the
published article must show up wherever it belongs, so a page that shows nothing at
all cannot pass for a safe one.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from django.utils import timezone

from articles import urls as article_urls
from articles.live.models import LiveCoverage, LiveUpdate
from articles.models import Article, ArticleEvent, Quote
from tests.factories import (
    link_event,
    make_article,
    make_correction,
    make_event,
    make_person,
    make_quote,
)

pytestmark = pytest.mark.django_db

SHARED_TAG = "shared-desk"
SHARED_EVENT = "shared-summit"
SHARED_SPEAKER = "shared-speaker"
FILLERS = 25  # more than a page of every list, so that page 2 exists
# Routes that show unpublished articles on purpose, to whoever holds a signed link.
NOT_PUBLIC = {"share"}

# The words of each story: in its headline, standfirst, quotes and correction.
WORDS = {
    "published": ("Aurora", "Avocado", "Albatross", "Anchovy"),
    "draft": ("Zanzibar", "Zeppelin", "Zither", "Zodiac"),
    "in review": ("Quokka", "Quasar", "Quince", "Quiver"),
    "scheduled": ("Halcyon", "Hickory", "Hyacinth", "Harpoon"),
}


@dataclass
class Story:
    """One article and everything of its own that a reader could stumble upon."""

    key: str
    article: Article
    words: tuple
    quotes: list = field(default_factory=list)
    correction: str = ""

    @property
    def url(self):
        return self.article.get_absolute_url()

    @property
    def name(self):
        return self.words[0]

    @property
    def tag(self):
        return f"{self.name.lower()}-desk"

    @property
    def event(self):
        return f"{self.name.lower()}-summit"

    @property
    def person(self):
        return f"{self.name.lower()}-speaker"

    @property
    def secrets(self):
        """What must never be shown while the article is not public."""
        return [
            self.article.title,
            self.article.standfirst,
            *self.quotes,
            self.correction,
            self.update,
            self.url,
        ]


def make_story(key, shared_speaker, shared_event, **fields):
    title_word, standfirst_word, quote_word, correction_word = WORDS[key]
    article = make_article(
        tags=[f"{title_word} Desk", "Shared Desk"],
        title=f"{title_word} talks end without a deal",
        slug=f"{title_word.lower()}-talks",
        standfirst=f"Negotiators left the {standfirst_word} room after midnight.",
        body="A bulletin from the newsroom.",
        **fields,
    )
    story = Story(key, article, WORDS[key])
    own_quote = make_quote(
        article,
        make_person(name=f"{title_word} Speaker"),
        text=f"The {quote_word} question is settled.",
    )
    shared_quote = make_quote(
        article, shared_speaker, text=f"We will come back to the {quote_word} file."
    )
    story.quotes = [own_quote.text, shared_quote.text]
    # Still to come, so that the readers' calendars list it once it is public.
    coming = timezone.localdate() + datetime.timedelta(days=10)
    own_event = make_event(name=f"{title_word} Summit", starts_on=coming)
    link_event(article, own_event, ArticleEvent.Kind.REPORTS_ON)
    link_event(article, shared_event, ArticleEvent.Kind.PREVIEWS)
    story.correction = f"An earlier version misnamed the {correction_word} envoy."
    make_correction(article, text=story.correction)
    # Covered live, with an update quoting its own speaker: shown only while public.
    LiveCoverage.objects.create(article=article)
    update = LiveUpdate.objects.create(article=article, body=f"Live: the {title_word} talks.")
    story.update = update.body
    Quote.objects.filter(text=own_quote.text).update(update=update)
    return story


@pytest.fixture
def stories():
    now = timezone.now()
    shared_speaker = make_person(name="Shared Speaker")
    shared_event = make_event(name="Shared Summit")
    for n in range(FILLERS):
        filler = make_article(
            tags=["Shared Desk"],
            title=f"Archive story {n}",
            body="A bulletin from the archive.",
            published_at=now - datetime.timedelta(days=n + 1),
        )
        make_quote(filler, shared_speaker, text=f"Archive remark {n}.")
        link_event(filler, shared_event)
        make_correction(filler, text=f"Archive correction {n}a.")
        make_correction(filler, text=f"Archive correction {n}b.")
    hour = datetime.timedelta(hours=1)
    return {
        "published": make_story("published", shared_speaker, shared_event),
        "draft": make_story("draft", shared_speaker, shared_event, status=Article.Status.DRAFT),
        "in review": make_story(
            "in review", shared_speaker, shared_event, status=Article.Status.IN_REVIEW
        ),
        "scheduled": make_story("scheduled", shared_speaker, shared_event, published_at=now + hour),
    }


def public_addresses(stories):
    """Every public address, each as (url, status expected, texts that must be on it)."""
    published = stories["published"]
    filler = Article.objects.get(title="Archive story 0")
    day = f"{published.article.publication_date:%Y-%m-%d}"
    addresses = [
        ("/", 200, [published.article.title]),
        ("/?page=2", 200, ["Archive story"]),
        ("/articles/", 200, [published.article.title, "26 articles"]),
        ("/articles/?page=2", 200, ["Archive story"]),
        (
            f"/articles/?tag={SHARED_TAG}",
            200,
            [published.article.title, "26 articles", "Aurora Summit", "Aurora Speaker"],
        ),
        (f"/articles/?tag={SHARED_TAG}&page=2", 200, ["Archive story"]),
        (
            f"/articles/?event={SHARED_EVENT}",
            200,
            [published.article.title, "26 articles", "Aurora Desk", "Aurora Speaker"],
        ),
        (f"/articles/?person={SHARED_SPEAKER}", 200, [published.article.title, "26 articles"]),
        (f"/articles/?from={day}&to={day}", 200, [published.article.title]),
        ("/tags/", 200, ["Aurora Desk", "Shared Desk"]),
        (f"/tags/{SHARED_TAG}/", 200, [published.article.title, "26 articles", "Aurora Desk"]),
        (f"/tags/{SHARED_TAG}/?page=2", 200, ["Archive story"]),
        (f"/tags/{SHARED_TAG}/feed/", 200, [published.article.title]),
        ("/events/", 200, ["Shared Summit"]),
        (f"/events/{SHARED_EVENT}/", 200, [published.article.title]),
        (f"/events/{SHARED_EVENT}/feed/", 200, [published.article.title]),
        (f"/people/{SHARED_SPEAKER}/", 200, [published.quotes[1]]),
        (f"/people/{SHARED_SPEAKER}/?page=2", 200, ["Archive remark"]),
        ("/search/?q=bulletin", 200, [published.url, "26 results"]),
        ("/search/?q=bulletin&page=2", 200, ["Archive story"]),
        ("/corrections/", 200, [published.correction]),
        ("/corrections/?page=2", 200, ["Archive correction"]),
        ("/feeds/latest/", 200, [published.article.title]),
        ("/sitemap.xml", 200, ["/sitemap-articles.xml", "/sitemap-people.xml"]),
        ("/sitemap-pages.xml", 200, ["/articles/"]),
        ("/sitemap-articles.xml", 200, [published.url]),
        ("/sitemap-tags.xml", 200, [f"/tags/{published.tag}/"]),
        ("/sitemap-events.xml", 200, [f"/events/{published.event}/"]),
        ("/sitemap-people.xml", 200, [f"/people/{published.person}/"]),
        ("/sitemap-news.xml", 200, [published.article.title]),
        ("/robots.txt", 200, ["Sitemap:"]),
        ("/events/calendar.ics", 200, ["Aurora Summit"]),
        (f"/tags/{SHARED_TAG}/events.ics", 200, ["Aurora Summit"]),
        (published.url, 200, [*published.secrets[:-1], "More on this", "Archive story"]),
        (filler.get_absolute_url(), 200, ["Archive story 0", published.article.title]),
    ]
    for story in stories.values():
        public = story is published
        listed = [story.article.title, "1 article"] if public else []
        shown = [story.article.title] if public else []
        found = 200 if public else 404
        addresses += [
            (story.url, 200 if public else 404, [story.article.title] if public else []),
            (f"{story.url}updates/", found, [story.update] if public else []),
            (f"{story.url}updates/feed/", found, [story.update] if public else []),
            # A tag, event or speaker known only from unpublished articles does not exist
            # for readers: even its name could give an embargoed story away.
            (f"/tags/{story.tag}/", found, listed),
            (f"/tags/{story.tag}+{SHARED_TAG}/", found, listed),
            (f"/tags/{story.tag}/feed/", found, shown),
            (f"/events/{story.event}/", found, shown),
            (f"/events/{story.event}/feed/", found, shown),
            (f"/events/{story.event}/calendar.ics", found, [f"{story.name} Summit"] * public),
            (f"/tags/{story.tag}/events.ics", found, [f"{story.name} Summit"] * public),
            (f"/people/{story.person}/", found, story.quotes[:1] if public else []),
            (f"/articles/?tag={story.tag}", found, listed),
            (f"/articles/?event={story.event}", found, listed),
            (f"/articles/?person={story.person}", found, listed),
            (f"/articles/?tag={story.tag}&tag={SHARED_TAG}", found, listed),
            (f"/articles/?from={story.article.publication_date:%Y-%m-%d}", 200, []),
        ]
        for word in story.words:
            found = [story.url] if public else ["Nothing matches"]
            # Corrections are not searched, so the correction word finds nothing either way.
            addresses.append((f"/search/?q={word}", 200, [] if word == story.words[3] else found))
    return addresses


def test_no_public_address_shows_anything_unpublished(client, stories):
    published = stories["published"]
    unpublished = [story for key, story in stories.items() if key != "published"]
    secrets = {text: story.key for story in unpublished for text in story.secrets}
    # Tags, events and speakers covered only by unpublished articles are not advertised
    # in tag lists, facets, "narrow down" boxes or sitemaps.
    names = [f"{s.name} {kind}" for s in unpublished for kind in ("Desk", "Summit", "Speaker")]
    unlisted = {
        url: names
        for url in [
            "/",
            "/tags/",
            f"/tags/{SHARED_TAG}/",
            f"/articles/?tag={SHARED_TAG}",
            f"/articles/?event={SHARED_EVENT}",
            f"/articles/?person={SHARED_SPEAKER}",
            f"/events/{SHARED_EVENT}/",
            f"/people/{SHARED_SPEAKER}/",
            published.url,
            "/events/calendar.ics",
            f"/tags/{SHARED_TAG}/events.ics",
        ]
    }
    unlisted["/sitemap-tags.xml"] = [f"/tags/{story.tag}/" for story in unpublished]
    unlisted["/sitemap-events.xml"] = [f"/events/{story.event}/" for story in unpublished]
    unlisted["/sitemap-people.xml"] = [f"/people/{story.person}/" for story in unpublished]

    problems = []
    addresses = public_addresses(stories)
    for url, status, expected in addresses:
        response = client.get(url)
        if response.status_code != status:
            problems.append(f"{url}: answered {response.status_code}, expected {status}")
            continue
        text = response.content.decode()
        problems += [f"{url}: shows the {secrets[s]} article's {s!r}" for s in secrets if s in text]
        problems += [f"{url}: lacks {e!r}" for e in expected if e not in text]
        problems += [f"{url}: lists {u!r}" for u in unlisted.get(url, []) if u in text]

    visited = {resolve(urlsplit(url).path).url_name for url, _, _ in addresses}
    assert {pattern.name for pattern in article_urls.urlpatterns} - visited <= NOT_PUBLIC
    assert published.article.is_public
    assert not problems, "\n".join(problems)


def test_the_lists_plain_statements_keep_the_rule_of_publication(db):
    """
    The lists' statements (articles.listings) write the rule of publication out in SQL:
    they choose exactly the articles ``Article.objects.published()`` does.
    """
    from articles import listings

    now = timezone.now()
    make_article(title="Published")
    make_article(title="Published a second ago", published_at=now - datetime.timedelta(seconds=1))
    make_article(title="Due in a minute", published_at=now + datetime.timedelta(minutes=1))
    make_article(title="Draft", status=Article.Status.DRAFT)
    make_article(title="In review", status=Article.Status.IN_REVIEW)
    expected = list(Article.objects.published().order_by("-pk").values_list("pk", flat=True))
    assert listings.Selection().newest_ids(100) == expected
    assert listings.Selection().count(100) == len(expected) == 2
