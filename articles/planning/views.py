"""
The planning view in the admin: events by day, week or month, each with the coverage
planned and the articles already linked to it. Editors see the whole plan; a writer
sees the events they are assigned to, their own pieces, and the articles they may open.
"""

import calendar
import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.models import Article, ArticleEvent, Event
from articles.permissions import viewable
from articles.planning.models import Coverage
from articles.planning.permissions import can_plan, sees_all_coverage, visible_coverage

MAX_EVENTS = 300  # in one view; a month of a busy desk is well under it
LINKS_SHOWN = 10  # articles listed per event
OTHER_DATES_SHOWN = 10


class PlanningForm(forms.Form):
    view = forms.ChoiceField(
        choices=[("day", _("Day")), ("week", _("Week")), ("month", _("Month"))], required=False
    )
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    tag = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Event.Status.choices], required=False
    )
    uncovered = forms.BooleanField(required=False, label=_("No coverage yet"))

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start is not None and not 1900 <= start.year <= 2999:
            raise forms.ValidationError(gettext("Choose a date between 1900 and 2999."))
        return start

    def clean_tag(self):
        slug = self.cleaned_data["tag"].strip()
        if not slug:
            return None
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise forms.ValidationError(
                gettext("No tag has the address “%(slug)s”.") % {"slug": slug}
            )
        return tag

    def choices(self):
        """The filters as chosen, or the defaults where a value was refused."""
        valid = self.cleaned_data if self.is_bound else {}
        return {
            "view": valid.get("view") or "week",
            "start": valid.get("start") or timezone.localdate(),
            "tag": valid.get("tag"),
            "status": valid.get("status") or "",
            "uncovered": bool(valid.get("uncovered")),
        }


def date_range(view, start):
    """The first and last day shown: the day, its week (Monday first) or its month."""
    if view == "day":
        return start, start
    if view == "week":
        monday = start - datetime.timedelta(days=start.weekday())
        return monday, monday + datetime.timedelta(days=6)
    first = start.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def neighbours(view, first):
    """The start of the previous and the next period."""
    if view == "day":
        return first - datetime.timedelta(days=1), first + datetime.timedelta(days=1)
    if view == "week":
        return first - datetime.timedelta(days=7), first + datetime.timedelta(days=7)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return previous, following


def has_coverage():
    """Coverage planned and not cancelled: what makes an event covered."""
    return Exists(
        Coverage.objects.filter(event=OuterRef("pk")).exclude(status=Coverage.Status.CANCELLED)
    )


def visible_links(user):
    """Links to events of the articles ``user`` may open (a writer: not others' drafts)."""
    links = ArticleEvent.objects.all()
    if user.has_perm("articles.edit_any_article"):
        return links
    return links.filter(article__in=viewable(user, Article.objects.all()))


def planned_events(user, first, last, tag=None, status="", uncovered=False):
    """
    Events on any day from ``first`` to ``last`` with what ``user`` may see of their
    coverage and linked articles, in a fixed number of queries however many there are.
    """
    events = (
        Event.objects.with_last_day()
        .filter(starts_on__lte=last, last_day__gte=first)
        .annotate(covered=has_coverage())
        .select_related("planning")
        .order_by("starts_on", "name")
    )
    if not sees_all_coverage(user):
        mine = Coverage.objects.filter(event=OuterRef("pk"), assignee=user)
        events = events.filter(Exists(mine))
    if tag is not None:
        tagged = visible_links(user).filter(event=OuterRef("pk"), article__tagged_items__tag=tag)
        events = events.filter(Exists(tagged))
    if status:
        events = events.filter(status=status)
    if uncovered:
        events = events.filter(covered=False)
    coverage = visible_coverage(user, Coverage.objects.select_related("assignee", "article"))
    links = (
        visible_links(user)
        .select_related("article")
        .only("kind", "event_id", "article__title", "article__status", "article__published_at")
        .order_by("-article_id")
    )
    events = events.prefetch_related(
        Prefetch("coverage", queryset=coverage, to_attr="planned"),
        Prefetch("article_links", queryset=links[:LINKS_SHOWN], to_attr="linked"),
    )
    return list(events[: MAX_EVENTS + 1])


def on_other_dates(user, first, last):
    """Open coverage of events outside the dates shown, so nothing due is out of sight."""
    return list(
        visible_coverage(user, Coverage.objects.open())
        .alias(event_last_day=Coalesce("event__ends_on", "event__starts_on"))
        .filter(Q(event__starts_on__gt=last) | Q(event_last_day__lt=first))
        .select_related("event", "assignee")
        .order_by("event__starts_on", "pk")[:OTHER_DATES_SHOWN]
    )


def days_of(first, last, events):
    """Each day from ``first`` to ``last`` with the events on it (known to the day)."""
    days = []
    day = first
    while day <= last:
        on_day = [e for e in events if e.starts_on <= day <= (e.ends_on or e.starts_on)]
        days.append({"date": day, "events": on_day})
        day += datetime.timedelta(days=1)
    return days


def month_grid(first, last, events):
    """The month as weeks of seven days (Monday first), padded with the days around it."""
    start = first - datetime.timedelta(days=first.weekday())
    end = last + datetime.timedelta(days=6 - last.weekday())
    days = days_of(start, end, events)
    for day in days:
        day["outside"] = not first <= day["date"] <= last
    return [days[i : i + 7] for i in range(0, len(days), 7)]


@require_safe
def planning_view(request):
    """The planning desk: /admin/planning/?view=week&start=2025-05-19&tag=…&uncovered=1."""
    user = request.user
    if not user.has_perm("articles.view_coverage"):
        raise PermissionDenied
    form = PlanningForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # what is refused is shown, and its default used
    chosen = form.choices()
    view, first_shown = chosen["view"], chosen["start"]
    first, last = date_range(view, first_shown)
    events = planned_events(user, first, last, chosen["tag"], chosen["status"],
                            chosen["uncovered"])  # fmt: skip
    too_many = len(events) > MAX_EVENTS
    events = events[:MAX_EVENTS]
    exact = [e for e in events if e.date_precision == Event.DatePrecision.DAY]
    previous, following = neighbours(view, first)
    filters = {
        key: value
        for key, value in {
            "view": view,
            "tag": chosen["tag"].slug if chosen["tag"] else "",
            "status": chosen["status"],
            "uncovered": "1" if chosen["uncovered"] else "",
        }.items()
        if value
    }
    context = {
        **admin.site.each_context(request),
        "title": gettext("Planning"),
        "form": form,
        "view": view,
        "first": first,
        "last": last,
        "events": events,
        "too_many": too_many,
        "max_events": MAX_EVENTS,
        "days": days_of(first, last, exact) if view != "month" else None,
        "weeks": month_grid(first, last, exact) if view == "month" else None,
        "undated": [e for e in events if e.date_precision != Event.DatePrecision.DAY],
        "other_dates": on_other_dates(user, first, last),
        "today": timezone.localdate(),
        "may_plan": can_plan(user),
        "sees_all": sees_all_coverage(user),
        "previous_url": "?" + urlencode({**filters, "start": previous.isoformat()}),
        "next_url": "?" + urlencode({**filters, "start": following.isoformat()}),
        "today_url": "?" + urlencode(filters),
        "views": [
            (name, label, "?" + urlencode({**filters, "view": name, "start": first.isoformat()}))
            for name, label in PlanningForm.base_fields["view"].choices
        ],
    }
    return TemplateResponse(request, "admin/planning/planning.html", context)
