"""
A long list is read one of two ways, chosen by how far down the page is and how dense
the list is in the archive (``listings.walks()``): the articles walked newest first, or
the list's own index sorted. A reader must see the same pages either way.
"""

import datetime
import re

import pytest
from django.utils import timezone

from articles import listings
from articles.models import Article
from tests.factories import make_article, make_person, make_quote

pytestmark = pytest.mark.django_db

PLANS = {"walked": 0, "sorted": 10**9}  # WALK_COST: every page walked, or none


@pytest.fixture(params=PLANS)
def plan(request, monkeypatch):
    # A list of more than five is long, so that a few articles make one.
    monkeypatch.setattr(listings, "FEW", 5)
    monkeypatch.setattr(listings, "WALK_COST", PLANS[request.param])
    return request.param


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def shuffled(count):
    """0 to count - 1 in an order of their own: articles not written in order of publication."""
    return sorted(range(count), key=lambda n: (n * 7) % count)


def quotes_shown(client, person, page):
    response = client.get(person.get_absolute_url(), {"page": page})
    assert response.status_code == 200
    return re.findall(r"Said (\d+)\.", response.content.decode())


def test_a_speakers_quotes_page_the_same_whichever_way_they_are_read(client, plan):
    speaker = make_person(name="Kaja Kallas")
    # 25 articles, two quotes in every third: newest first, then in the article's order.
    for n in shuffled(25):
        article = make_article(title=f"Story {n}", published_at=hours_ago(n + 1))
        make_quote(article, make_person(), text="Someone else spoke.")
        for position in range(2 if n % 3 == 0 else 1):
            make_quote(article, speaker, text=f"Said {n * 10 + position}.")
    expected = [str(n * 10 + p) for n in range(25) for p in range(2 if n % 3 == 0 else 1)]
    # Never listed: a draft, a scheduled article, and the speaker's quotes in them.
    for status, published_at in [(Article.Status.DRAFT, hours_ago(0.5)), (None, hours_ago(-5))]:
        hidden = make_article(published_at=published_at, **({"status": status} if status else {}))
        make_quote(hidden, speaker, text="Said 999.")

    pages = [quotes_shown(client, speaker, page) for page in (1, 2)]
    assert pages == [expected[:20], expected[20:]]


def test_the_speakers_articles_are_the_newest_quoting_them(client, plan):
    speaker = make_person(name="Kaja Kallas")
    for n in shuffled(8):
        make_quote(make_article(title=f"Quoting {n}", published_at=hours_ago(n + 1)), speaker)
    make_article(title="Not quoting", published_at=hours_ago(0.5))
    response = client.get(speaker.get_absolute_url())
    shown = [article.title for article in response.context["articles"]]
    assert shown == [f"Quoting {n}" for n in range(8)]


def test_a_tags_pages_the_same_whichever_way_they_are_read(client, plan):
    for n in shuffled(27):
        make_article(title=f"Tagged {n}", published_at=hours_ago(n + 1), tags=["ukraine"])
    expected = [f"Tagged {n}" for n in range(27)]
    for n in range(5):
        make_article(title=f"Untagged {n}", published_at=hours_ago(n + 0.5))
    make_article(title="Tagged draft", status=Article.Status.DRAFT, tags=["ukraine"])

    def titles(page):
        response = client.get("/tags/ukraine/", {"page": page})
        assert response.status_code == 200
        return re.findall(r">(Tagged \d+)<", response.content.decode())

    assert [titles(1), titles(2)] == [expected[:20], expected[20:]]
