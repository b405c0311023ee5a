"""
The readers' calendars: every upcoming event (``/events/calendar.ics``), one event (its
“Add to calendar” link) and the events of a tag's stories (``/tags/<slug>/events.ics``).

Public like the pages, and cached and renewed like them: each file names the surrogate
keys of what it shows (see ``articles.invalidation``), and every event change renews
``vocabulary``, which every file names. Only public events are listed (covered by a
public article: ``Event.objects.public()``), and only those whose day is known: an event
known to the month would fill the month in a calendar.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from articles.invalidation import ARTICLES, key_for, show
from articles.models import ArticleEvent, Event
from articles.planning.ics import calendar_file
from articles.querysets import public_tags, published_q

# Events that ended this long ago stay in the calendar, so that subscribers keep last
# week's summit rather than seeing it disappear.
KEPT_AFTER = datetime.timedelta(days=30)
MAX_EVENTS = 1000


def calendar_events():
    """Public events known to the day, with their planning record, not long over."""
    return (
        Event.objects.public()
        .upcoming(timezone.localdate() - KEPT_AFTER)
        .filter(date_precision=Event.DatePrecision.DAY)
        .select_related("planning")
    )


def calendar_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
def events_calendar(request):
    show(request, ARTICLES)  # which events are public changes with what is published
    events = calendar_events()[:MAX_EVENTS]
    content = calendar_file(events, gettext("Newsroom: upcoming events"),
                            gettext("Every event the newsroom covers, as it changes."))  # fmt: skip
    return calendar_response(content, "newsroom-events.ics")


@require_safe
def event_calendar(request, slug):
    """“Add to calendar”: one event (404 unless it is public and known to the day)."""
    event = get_object_or_404(
        Event.objects.public()
        .filter(date_precision=Event.DatePrecision.DAY)
        .select_related("planning"),
        slug=slug,
    )
    show(request, key_for(event))
    return calendar_response(calendar_file([event], event.name), f"{event.slug}.ics")


@require_safe
def tag_events_calendar(request, slug):
    """The upcoming events of a tag's public stories."""
    tag = public_tags().filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag.")
    show(request, key_for(tag))
    on_tag = ArticleEvent.objects.filter(
        published_q("article__"), event=OuterRef("pk"), article__tagged_items__tag=tag
    )
    events = calendar_events().filter(Exists(on_tag))[:MAX_EVENTS]
    content = calendar_file(
        events,
        gettext("Newsroom: %(tag)s") % {"tag": tag.name},
        gettext("Events in the news on %(tag)s.") % {"tag": tag.name},
    )
    return calendar_response(content, f"{tag.slug}-events.ics")
