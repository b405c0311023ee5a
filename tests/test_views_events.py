import datetime
import json
import re

import pytest
from django.utils import timezone

from articles.models import ArticleEvent, Event
from tests.factories import link_event, make_article, make_event

pytestmark = pytest.mark.django_db


def covered_event(**fields):
    """An event with a published article on it: readers only see events with coverage."""
    event = make_event(**fields)
    link_event(make_article(), event)
    return event


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


@pytest.fixture
def events_around_today():
    """Events going on, ahead and past, and one known only from a draft."""
    today = timezone.localdate()
    covered_event(name="Next week summit", starts_on=today + datetime.timedelta(days=7))
    covered_event(name="Running now", starts_on=today - datetime.timedelta(days=1), ends_on=today)
    covered_event(name="Last year summit", starts_on=today - datetime.timedelta(days=365))
    make_event(name="Only in a draft", starts_on=today + datetime.timedelta(days=3))
    return today


def test_events_page_splits_upcoming_and_past(client, events_around_today):
    html = client.get("/events/").content.decode()
    upcoming, past = html.split('id="past-heading"')
    assert "Next week summit" in upcoming and "Running now" in upcoming
    assert "Last year summit" in past and "Last year summit" not in upcoming
    assert "Only in a draft" not in html


def test_the_front_page_shows_the_next_public_events_soonest_first(client, events_around_today):
    today = events_around_today
    for days in range(10, 20):
        covered_event(name=f"Later meeting {days}", starts_on=today + datetime.timedelta(days=days))
    html = client.get("/").content.decode()
    section = html[html.index('id="events-heading"') : html.index('id="tags-heading"')]
    names = re.findall(r'<a href="/events/[^"]+/">([^<]+)</a>', section)
    assert names == [
        "Running now",
        "Next week summit",
        *(f"Later meeting {d}" for d in range(10, 14)),
    ]


def test_event_page_shows_date_place_status_and_link(client):
    event = covered_event(
        name="UK–EU Summit",
        starts_on=datetime.date(2025, 5, 19),
        location="Lancaster House, London",
        status=Event.Status.POSTPONED,
        url="https://example.org/summit",
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<time datetime="2025-05-19">19 May 2025</time>' in html
    assert "Lancaster House, London" in html
    assert "This event has been postponed." in html
    assert 'href="https://example.org/summit"' in html


def test_an_event_known_only_from_drafts_is_not_found(client):
    event = make_event(name="Embargoed summit")
    link_event(make_article(status="draft"), event)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_event_page_groups_articles_by_kind_of_link(client):
    event = make_event()
    link_event(make_article(title="Ahead of the summit"), event, ArticleEvent.Kind.PREVIEWS)
    link_event(make_article(title="At the summit"), event, ArticleEvent.Kind.REPORTS_ON)
    link_event(make_article(title="A passing mention"), event, ArticleEvent.Kind.MENTIONS)
    html = client.get(event.get_absolute_url()).content.decode()
    order = [html.index(text) for text in [
        "Reports on the event", "At the summit",
        "Previews the event", "Ahead of the summit",
        "Mentions the event", "A passing mention",
    ]]  # fmt: skip
    assert order == sorted(order)


def test_event_page_carries_schema_org_event(client):
    event = covered_event(
        name="UK–EU Summit", starts_on=datetime.date(2025, 5, 19), location="London"
    )
    (data,) = jsonld(client.get(event.get_absolute_url()).content.decode())
    assert data["@type"] == "Event"
    assert data["name"] == "UK–EU Summit"
    assert data["startDate"] == "2025-05-19"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["name"] == "London"


def test_an_event_known_only_by_year_says_so(client):
    event = covered_event(
        name="Berlin Process Summit",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        date_precision=Event.DatePrecision.YEAR,
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "1 January 2025" not in html
    assert jsonld(html)[0]["startDate"] == "2025"


def test_postponed_event_is_flagged_on_the_articles_that_link_it(client):
    event = make_event(name="Council meeting", status=Event.Status.CANCELLED)
    article = make_article()
    link_event(article, event)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Council meeting has been cancelled." in html


def test_coverage_is_dated_on_the_newsroom_s_day_newest_first(client):
    """Shortly before midnight UTC in summer is already the next day in London."""
    event = make_event(name="Night session")
    late = datetime.datetime(2025, 6, 18, 23, 30, tzinfo=datetime.UTC)
    link_event(make_article(title="Agreed after midnight", published_at=late), event)
    earlier = late - datetime.timedelta(days=2)
    link_event(make_article(title="Talks open", published_at=earlier), event)
    html = client.get(event.get_absolute_url()).content.decode()
    assert 'Agreed after midnight</a> <span class="meta">19 June 2025</span>' in html
    assert html.index("Agreed after midnight") < html.index("Talks open")
