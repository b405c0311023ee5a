"""
Events as iCalendar (RFC 5545), written with the ``icalendar`` package.

Each event keeps one UID for life (its id at this site's host), so a calendar app that
took it once updates it in place: a new date, a postponement, a cancellation (which
stays in the file as ``STATUS:CANCELLED`` rather than vanishing), each with a higher
``SEQUENCE``. Events are whole days: ``DTSTART;VALUE=DATE`` and ``DTEND`` the day after
the last (DTEND is exclusive), floating, so that 19 May is 19 May in every time zone.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Event

# Calendar apps have three statuses; a postponed event is not confirmed, and says why.
STATUSES = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.TOOK_PLACE: "CONFIRMED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.CANCELLED: "CANCELLED",
}
PRODUCT = "-//Newsroom//Planning desk//EN"
REFRESH = datetime.timedelta(hours=1)  # how often subscribers should read it again


def uid(event):
    return f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname or 'newsroom'}"


def summary(event):
    if event.status == Event.Status.POSTPONED:
        return gettext("Postponed: %(event)s") % {"event": event.name}
    if event.status == Event.Status.CANCELLED:
        return gettext("Cancelled: %(event)s") % {"event": event.name}
    return event.name


def vevent(event, now):
    """One event (its ``planning`` record fetched with it, where it has one)."""
    record = getattr(event, "planning", None)
    changed = record.changed_at if record is not None else now
    last_day = event.ends_on or event.starts_on
    component = icalendar.Event()
    component.add("uid", uid(event))
    # Without a METHOD, DTSTAMP is when the event was last revised (RFC 5545, 3.8.7.2).
    component.add("dtstamp", changed.astimezone(datetime.UTC))
    component.add("last-modified", changed.astimezone(datetime.UTC))
    component.add("sequence", record.calendar_sequence if record is not None else 0)
    component.add("dtstart", event.starts_on)
    if last_day < datetime.date.max:
        component.add("dtend", last_day + datetime.timedelta(days=1))
    else:  # no day after 31 December 9999 to end on: the event's length says the same
        component.add("duration", datetime.timedelta(days=(last_day - event.starts_on).days + 1))
    component.add("summary", summary(event))
    component.add("status", STATUSES[event.status])
    component.add("transp", "TRANSPARENT")  # a day's event, not a busy diary
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    component.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    return component


def calendar_file(events, name, description=""):
    """The bytes of a calendar named ``name`` holding ``events``."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # what Google and Apple read
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")  # Outlook's name for the same
    now = timezone.now()
    for event in events:
        cal.add_component(vevent(event, now))
    return cal.to_ical()
