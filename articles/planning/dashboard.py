"""
The admin's start page: what each person needs to see first.

A writer: their assignments due soon (and overdue), the events of their assignments
that were postponed or cancelled, their articles in review and the latest corrections to
their articles. An editor also: coverage overdue, events in the next seven days nobody
covers, and events found in copy that nobody has planned yet. Each list is one query,
so the page costs the same however much is planned.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Correction, Event
from articles.planning.models import Coverage
from articles.planning.permissions import can_plan
from articles.planning.views import has_coverage

SOON = datetime.timedelta(days=7)
RECENT_CORRECTIONS = datetime.timedelta(days=30)
SHOWN = 20
CHANGED_EVENT = [Event.Status.POSTPONED, Event.Status.CANCELLED]


def dashboard(user):
    now, today = timezone.now(), timezone.localdate()
    mine = Coverage.objects.open().filter(assignee=user).select_related("event", "article")
    own = Article.objects.filter(Q(created_by=user) | Q(authors=user)).values("pk")
    sections = {
        "assignments": list(mine.filter(due_at__lte=now + SOON)[:SHOWN]),
        "changed_events": list(
            mine.filter(event__status__in=CHANGED_EVENT)
            .select_related("event__planning")
            .order_by("event__starts_on")[:SHOWN]
        ),
        "in_review": list(
            Article.objects.filter(pk__in=own, status=Article.Status.IN_REVIEW)
            .only("title", "updated_at", "status")
            .order_by("-updated_at")[:SHOWN]
        ),
        "corrections": list(
            Correction.objects.filter(article__in=own, published_at__gte=now - RECENT_CORRECTIONS)
            .select_related("article")
            .only("text", "published_at", "article__title")
            .order_by("-published_at")[:SHOWN]
        ),
        "plans": can_plan(user),
    }
    if sections["plans"]:
        uncovered = (
            Event.objects.upcoming(today)
            .exclude(status=Event.Status.CANCELLED)
            .exclude(has_coverage())
            .select_related("planning")
        )
        sections.update(
            overdue=list(
                Coverage.objects.overdue(now)
                .select_related("event", "assignee")
                .order_by("due_at")[:SHOWN]
            ),
            uncovered=list(uncovered.filter(starts_on__lte=today + SOON)[:SHOWN]),
            found_in_copy=list(
                uncovered.filter(starts_on__gt=today + SOON, planning__found_at__isnull=False)[
                    :SHOWN
                ]
            ),
        )
    return sections
