"""
The planning desk's actions with side effects: starting a piece of coverage (its draft,
linked to the event, in one transaction with a revision), noting events found in copy,
and moving coverage when events are merged.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article, ArticleEvent, make_slug
from articles.planning.models import Coverage, EventPlanning
from articles.planning.permissions import can_start

# How the article a piece of coverage starts is linked to its event.
LINK_KINDS = {
    Coverage.Kind.STORY: ArticleEvent.Kind.REPORTS_ON,
    Coverage.Kind.PREVIEW: ArticleEvent.Kind.PREVIEWS,
    Coverage.Kind.LIVE: ArticleEvent.Kind.REPORTS_ON,
    Coverage.Kind.PICTURES: ArticleEvent.Kind.REPORTS_ON,
}
# The working headline of the draft, from the event's name.
WORKING_TITLES = {
    Coverage.Kind.STORY: "{}",
    Coverage.Kind.PREVIEW: "Preview: {}",
    Coverage.Kind.LIVE: "Live: {}",
    Coverage.Kind.PICTURES: "In pictures: {}",
}


@transaction.atomic
def start_coverage(coverage, user):
    """
    Start the piece ``coverage`` plans: a draft by its writer, already linked to the
    event with the right kind of link, and the coverage in progress. Returns the article;
    starting it again returns the same one.

    Raises PermissionDenied for anyone but its writer or an editor, and ValidationError
    for coverage cancelled or not yet assigned.
    """
    coverage = (
        Coverage.objects.select_for_update(of=("self",))
        .select_related("event", "article")
        .get(pk=coverage.pk)
    )
    if not can_start(user, coverage):
        raise PermissionDenied(gettext("Only its writer or an editor can start this piece."))
    if coverage.status == Coverage.Status.CANCELLED:
        raise ValidationError(gettext("This coverage was cancelled: there is nothing to start."))
    if coverage.article is not None:
        return coverage.article
    if coverage.assignee_id is None:
        raise ValidationError(gettext("Assign a writer before starting this piece."))
    starter = start_live_article if coverage.kind == Coverage.Kind.LIVE else start_draft
    article = starter(coverage, user)
    coverage.article = article
    coverage.status = Coverage.Status.IN_PROGRESS
    coverage.save(update_fields=["article", "status", "updated_at"])
    return article


def start_draft(coverage, user, comment=None):
    """The draft of ``coverage``'s piece, by its writer, linked to its event."""
    title = WORKING_TITLES[coverage.kind].format(coverage.event.name)[:250]
    with reversion.create_revision():
        article = Article(
            title=title,
            slug=make_slug(title) or "article",
            status=Article.Status.DRAFT,
            created_by=user,
            last_edited_by=user,
        )
        article.save()
        article.authors.add(coverage.assignee_id)
        ArticleEvent.objects.create(
            article=article, event=coverage.event, kind=LINK_KINDS[coverage.kind]
        )
        reversion.set_user(user)
        reversion.set_comment(
            comment or f"Started from the {coverage.get_kind_display().lower()} planned"
        )
    return article


def start_live_article(coverage, user):
    """
    Start the live article ``coverage`` plans: the draft, made as for a story and linked
    to the event, covered live from the time the piece is due (or now). Readers see it
    once it is published, like any article; the writer posts updates to it meanwhile.
    """
    from articles.live.services import make_live

    article = start_draft(coverage, user, comment="Started from the live article planned")
    # The newsroom's own step of an editor's plan: the writer starting it needs no right
    # to make articles live.
    make_live(article, starts_at=coverage.due_at)
    return article


def hand_over(coverage):
    """
    ``coverage`` was given to another writer: the draft already started comes with it,
    its new writer one of its authors, so that they can open it from their assignment.
    A published article keeps its byline. Returns whether the writer was added.
    """
    article = coverage.article
    if article is None or coverage.assignee_id is None:
        return False
    if article.status == Article.Status.PUBLISHED or article.is_owned_by(coverage.assignee):
        return False
    article.authors.add(coverage.assignee_id)
    return True


def coverage_article_saved(article):
    """
    Publishing an article started from coverage files the coverage; taking it off the
    site again puts the coverage back in progress.
    """
    pieces = Coverage.objects.filter(article_id=article.pk)
    now = timezone.now()
    if article.status == Article.Status.PUBLISHED:
        pieces.filter(
            status__in=[Coverage.Status.PLANNED, Coverage.Status.ASSIGNED,
                        Coverage.Status.IN_PROGRESS]
        ).update(status=Coverage.Status.FILED, updated_at=now)  # fmt: skip
    else:
        pieces.filter(status=Coverage.Status.FILED).update(
            status=Coverage.Status.IN_PROGRESS, updated_at=now
        )


def note_found_in_copy(article, events):
    """
    ``article`` (imported, or sent through the API) names ``events``: those still to
    come are shown in planning as found in copy until someone plans them. An event
    already found keeps the article it was first found in.
    """
    today = timezone.localdate()
    now = timezone.now()
    for event in events:
        if (event.ends_on or event.starts_on) < today:
            continue
        record, _ = EventPlanning.objects.get_or_create(event=event)
        if record.found_at is None:
            record.found_in, record.found_at = article, now
            record.save(update_fields=["found_in", "found_at"])


def move_coverage(merged, survivor):
    """Coverage of an event merged away moves to the one kept. Returns how many moved."""
    found = EventPlanning.objects.filter(event=merged, found_at__isnull=False).first()
    if found is not None:
        EventPlanning.objects.filter(event=survivor, found_at__isnull=True).update(
            found_in=found.found_in_id, found_at=found.found_at
        )
    return Coverage.objects.filter(event=merged).update(event=survivor)


def event_changed(event, before):
    """
    ``event`` was saved; ``before`` holds what calendars showed of it (None if new).
    A change to any of it raises the calendar's sequence number, so calendar apps take
    the new version; a new status is dated, for the writers covering it.
    """
    changed = (
        [] if before is None else [f for f in CALENDAR_FIELDS if before[f] != getattr(event, f)]
    )
    if before is not None and not changed:
        return
    now = timezone.now()
    if before is None:
        EventPlanning.objects.get_or_create(event=event)
        return
    updates = {"calendar_sequence": F("calendar_sequence") + 1, "changed_at": now}
    if "status" in changed:
        updates["status_changed_at"] = now
    if not EventPlanning.objects.filter(event=event).update(**updates):
        EventPlanning.objects.create(
            event=event,
            calendar_sequence=1,
            changed_at=now,
            status_changed_at=now if "status" in changed else None,
        )


# What a calendar shows of an event: a change to any of them is a new version of it.
CALENDAR_FIELDS = (
    "name", "slug", "starts_on", "ends_on", "date_precision", "location", "description", "url",
    "status",
)  # fmt: skip
