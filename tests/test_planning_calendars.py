"""The readers' calendars: iCalendar files read back with the icalendar package."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Event
from articles.planning.models import EventPlanning
from tests.factories import link_event, make_article, make_event
from tests.test_cache import cached, page_cache  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

TODAY = None


def day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


def covered(event, tags=("Summits",), **article_fields):
    """``event``, made public by a published article that links it."""
    link_event(make_article(tags=list(tags), **article_fields), event)
    return event


def read(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def by_name(calendar):
    return {str(event["SUMMARY"]).split(": ", 1)[-1]: event for event in calendar.walk("VEVENT")}


def test_the_events_calendar_lists_every_upcoming_public_event_as_whole_days(client):
    summit = covered(make_event(name="Harbour Summit", starts_on=day(10), location="Brussels"))
    council = covered(make_event(name="Tides Council", starts_on=day(20), ends_on=day(22)))
    make_event(name="Draft-only Meeting", starts_on=day(5))  # no public article: not shown
    link_event(
        make_article(status=Article.Status.DRAFT, published_at=None),
        make_event(name="Embargoed Meeting", starts_on=day(6)),
    )
    covered(make_event(name="Long Past Summit", starts_on=day(-400)))
    covered(make_event(name="Some Day in May", starts_on=day(30), date_precision="month"))

    response = client.get("/events/calendar.ics")
    assert 'filename="newsroom-events.ics"' in response["Content-Disposition"]
    calendar = read(response)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    events = by_name(calendar)
    assert set(events) == {"Harbour Summit", "Tides Council"}
    harbour, tides = events["Harbour Summit"], events["Tides Council"]
    # Whole days: dates, not times, so 19 May is 19 May in every time zone.
    assert harbour.start == summit.starts_on and type(harbour.start) is datetime.date
    assert harbour.end == summit.starts_on + datetime.timedelta(days=1)
    assert b"DTSTART;VALUE=DATE:" in response.content
    assert (tides.start, tides.end) == (council.starts_on, day(23))  # DTEND is exclusive
    assert harbour["STATUS"] == "CONFIRMED" and harbour["LOCATION"] == "Brussels"
    assert str(harbour["URL"]).endswith(f"/events/{summit.slug}/")
    assert harbour["UID"] != tides["UID"]
    # Stamps are times in UTC.
    assert harbour.DTSTAMP.utcoffset() == datetime.timedelta(0)
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/London"


def test_an_event_on_the_last_day_a_date_can_hold_still_has_a_valid_entry(client):
    """DTEND is the day after the last: for 31 December 9999 there is none, so the
    calendar gives the event's length instead of failing for every subscriber."""
    last = covered(make_event(name="Far Summit", starts_on=datetime.date(9999, 12, 30),
                              ends_on=datetime.date(9999, 12, 31)))  # fmt: skip
    covered(make_event(name="Soon Summit", starts_on=day(3)))

    for url in ["/events/calendar.ics", f"/events/{last.slug}/calendar.ics"]:
        far = by_name(read(client.get(url)))["Far Summit"]
        assert far.start == datetime.date(9999, 12, 30) and "DTEND" not in far
        assert far["DURATION"].dt == datetime.timedelta(days=2)
    assert "Soon Summit" in by_name(read(client.get("/events/calendar.ics")))


def test_a_cancelled_event_says_so_and_keeps_its_uid_with_a_higher_sequence(client):
    event = covered(make_event(name="Harbour Summit", starts_on=day(10)))
    before = by_name(read(client.get("/events/calendar.ics")))["Harbour Summit"]
    assert before["SEQUENCE"] == 0
    event.status = Event.Status.CANCELLED
    event.save()
    after = by_name(read(client.get("/events/calendar.ics")))["Harbour Summit"]
    assert str(after["SUMMARY"]) == "Cancelled: Harbour Summit"
    assert after["STATUS"] == "CANCELLED"
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == 1
    assert after.DTSTAMP >= before.DTSTAMP
    event.status, event.starts_on = Event.Status.POSTPONED, day(40)
    event.save()
    moved = by_name(read(client.get("/events/calendar.ics")))["Harbour Summit"]
    assert (moved["UID"], moved["SEQUENCE"], moved["STATUS"]) == (before["UID"], 2, "TENTATIVE")
    assert moved.start == day(40)


def test_an_event_without_a_planning_record_still_has_a_valid_entry(client):
    event = covered(make_event(name="Harbour Summit", starts_on=day(3)))
    EventPlanning.objects.filter(event=event).delete()
    entry = by_name(read(client.get("/events/calendar.ics")))["Harbour Summit"]
    assert entry["SEQUENCE"] == 0 and entry.DTSTAMP is not None


def test_add_to_calendar_gives_one_event(client):
    event = covered(make_event(name="Harbour Summit", starts_on=day(3), ends_on=day(4)))
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'href="/events/{event.slug}/calendar.ics"' in page and "Add to calendar" in page
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    [entry] = read(response).walk("VEVENT")
    assert (entry.start, entry.end) == (day(3), day(5))
    # A past event is still added, as its page still offers.
    past = covered(make_event(name="Old Summit", starts_on=day(-400)))
    [entry] = read(client.get(f"/events/{past.slug}/calendar.ics")).walk("VEVENT")
    assert entry.start == day(-400)


def test_events_readers_cannot_see_or_date_have_no_calendar(client):
    hidden = make_event(name="Embargoed Meeting", starts_on=day(6))
    link_event(make_article(status=Article.Status.DRAFT, published_at=None), hidden)
    vague = covered(make_event(name="Some Day", starts_on=day(30), date_precision="month"))
    for event in (hidden, vague):
        assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404
    assert "Add to calendar" not in client.get(vague.get_absolute_url()).content.decode()
    assert client.get("/events/no-such-event/calendar.ics").status_code == 404


def test_a_renamed_event_s_calendar_address_redirects(client):
    event = covered(make_event(name="Harbour Summit", starts_on=day(3)))
    old = event.slug
    event.slug = "harbour-summit-2026"
    event.save()
    response = client.get(f"/events/{old}/calendar.ics")
    assert response.status_code == 301
    assert response["Location"] == "/events/harbour-summit-2026/calendar.ics"


def test_a_tag_s_calendar_holds_the_events_of_its_public_stories(client):
    covered(make_event(name="Harbour Summit", starts_on=day(3)), tags=["Harbours"])
    covered(make_event(name="Budget Council", starts_on=day(4)), tags=["Budget"])
    link_event(
        make_article(tags=["Harbours"], status=Article.Status.DRAFT, published_at=None),
        covered(make_event(name="Public Elsewhere", starts_on=day(5)), tags=["Budget"]),
    )
    response = client.get("/tags/harbours/events.ics")
    assert 'filename="harbours-events.ics"' in response["Content-Disposition"]
    assert set(by_name(read(response))) == {"Harbour Summit"}
    assert client.get("/tags/no-such-tag/events.ics").status_code == 404
    page = client.get("/tags/harbours/").content.decode()
    assert 'href="/tags/harbours/events.ics"' in page


def test_event_slugs_and_calendar_addresses_never_meet(client, admin_client):
    """No slug holds a dot, so /events/calendar.ics is never an event's page."""
    named = covered(make_event(name="calendar.ics", starts_on=day(3)))
    plain = covered(make_event(name="Calendar", starts_on=day(4)))
    assert named.slug == "calendarics" and plain.slug == "calendar"
    assert client.get("/events/calendar/").status_code == 200
    calendar = read(client.get("/events/calendar.ics"))
    assert {"calendar.ics", "Calendar"} <= set(by_name(calendar))
    assert client.get("/events/calendarics/calendar.ics").status_code == 200
    response = admin_client.post(
        f"/admin/articles/event/{plain.pk}/change/",
        {"name": "Calendar", "slug": "calendar.ics", "starts_on": day(4).isoformat(),
         "date_precision": "day", "status": "scheduled", "not_duplicate": "on"},
    )  # fmt: skip
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    plain.refresh_from_db()
    assert plain.slug == "calendar"


def test_calendars_are_cached_and_an_event_change_renews_them(client, page_cache, commit):  # noqa: F811
    event = commit(lambda: covered(make_event(name="Harbour Summit", starts_on=day(3))))
    urls = [
        "/events/calendar.ics",
        f"/events/{event.slug}/calendar.ics",
        "/tags/summits/events.ics",
    ]
    for url in urls:
        assert cached(client, url), url

    def cancel():
        event.status = Event.Status.CANCELLED
        event.save()

    commit(cancel)
    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "miss", url
        assert by_name(read(response))["Harbour Summit"]["STATUS"] == "CANCELLED", url


def test_publishing_a_story_on_a_new_event_renews_the_calendars(client, page_cache, commit):  # noqa: F811
    commit(lambda: covered(make_event(name="Harbour Summit", starts_on=day(3))))
    assert cached(client, "/events/calendar.ics")
    assert cached(client, "/tags/summits/events.ics")
    commit(lambda: covered(make_event(name="Tides Council", starts_on=day(4))))
    for url in ["/events/calendar.ics", "/tags/summits/events.ics"]:
        assert "Tides Council" in by_name(read(client.get(url))), url


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response


@pytest.mark.parametrize(
    "url", ["/events/calendar.ics", "/tags/summits/events.ics", "/events/first/calendar.ics"]
)
def test_calendars_run_as_many_queries_for_twelve_events_as_for_two(client, url):
    """Guards an N+1 on each event's planning record."""
    covered(make_event(name="First", slug="first", starts_on=day(1)))
    covered(make_event(name="Second", starts_on=day(2)))
    count_queries(client, url)
    small, _ = count_queries(client, url)
    for n in range(10):
        event = covered(make_event(name=f"More {n}", starts_on=day(n + 3), ends_on=day(n + 4)))
        event.location = "Changed"
        event.save()
    big, response = count_queries(client, url)
    if "first" not in url:
        assert len(read(response).walk("VEVENT")) == 12
    assert big == small
