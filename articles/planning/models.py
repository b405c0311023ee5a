from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CoverageQuerySet(models.QuerySet):
    def open(self):
        """Coverage still to deliver: neither filed nor cancelled."""
        return self.exclude(status__in=[Coverage.Status.FILED, Coverage.Status.CANCELLED])

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def assigned_to(self, user):
        return self.filter(assignee=user)


class Coverage(models.Model):
    """
    One piece of coverage planned for an event: a story, a live article or pictures,
    with the writer assigned, when it is due and what it should say.

    Starting it creates the draft article, linked to the event (``article``); publishing
    that article marks the coverage filed (see ``articles.planning.services``).
    """

    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        PREVIEW = "preview", _("Preview")
        LIVE = "live", _("Live article")
        PICTURES = "pictures", _("Pictures")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        FILED = "filed", _("Filed")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        "articles.Event",
        on_delete=models.CASCADE,
        related_name="coverage",
        help_text=_("The event this piece covers."),
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.STORY)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
        verbose_name=_("writer"),
        help_text=_("Who covers it. They see it in their assignments and on their start page."),
    )
    due_at = models.DateTimeField(
        _("due"), null=True, blank=True, help_text=_("When the copy (or the pictures) must be in.")
    )
    brief = models.TextField(
        blank=True, max_length=2000, help_text=_("What the piece should cover, in a few lines.")
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.PLANNED)
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="coverage",
        help_text=_("The article started from this assignment."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoverageQuerySet.as_manager()

    class Meta:
        ordering = [models.F("due_at").asc(nulls_last=True), "pk"]
        verbose_name = _("coverage assignment")
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="coverage_by_writer"),
            models.Index(fields=["status", "due_at"], name="coverage_by_status"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.event}"

    def clean(self):
        # In the form, not the database: deleting a writer's account empties the field.
        if self.assignee_id is None and self.status in UNDER_WAY:
            raise ValidationError(
                {
                    "assignee": gettext("Coverage %(status)s needs a writer.")
                    % {"status": self.get_status_display().lower()}
                }
            )

    @property
    def is_open(self):
        return self.status not in (self.Status.FILED, self.Status.CANCELLED)

    @property
    def is_overdue(self):
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    @property
    def event_changed(self):
        """The event was postponed or cancelled: the writer must hear of it."""
        return self.is_open and self.event.status in ("postponed", "cancelled")


UNDER_WAY = (Coverage.Status.ASSIGNED, Coverage.Status.IN_PROGRESS)


class EventPlanning(models.Model):
    """
    What the planning desk keeps about an event beyond what readers see: whether it was
    found in copy (by the importer or the API) before anyone planned it, and how often
    what calendars show of it changed (iCalendar's SEQUENCE, and its last change).
    """

    event = models.OneToOneField(
        "articles.Event", on_delete=models.CASCADE, primary_key=True, related_name="planning"
    )
    found_in = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The article whose copy named it, when it came in from the importer or API."),
    )
    found_at = models.DateTimeField(null=True, blank=True)
    calendar_sequence = models.PositiveIntegerField(
        default=0, help_text=_("Goes up with every change calendars show (name, dates, status…).")
    )
    changed_at = models.DateTimeField(
        default=timezone.now, help_text=_("The last change to what calendars show of the event.")
    )
    status_changed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When its status last changed (postponed, cancelled…).")
    )

    class Meta:
        verbose_name = _("event planning record")

    def __str__(self):
        return gettext("Planning of %(event)s") % {"event": self.event_id}
