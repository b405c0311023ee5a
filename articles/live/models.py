"""A live article's state (``LiveCoverage``) and its updates (``LiveUpdate``)."""

import reversion
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.markdown import render_markdown

# Each update carries a permanent anchor on the article's page.
ANCHOR = "update-{}"


class LiveCoverageQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=LiveCoverage.State.LIVE)


@reversion.register()
class LiveCoverage(models.Model):
    """That an article is covered live, and how that coverage stands."""

    class State(models.TextChoices):
        LIVE = "live", _("Live now")
        CLOSED = "closed", _("Closed")

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="live"
    )
    state = models.CharField(
        max_length=6,
        choices=State,
        default=State.LIVE,
        help_text=_(
            "Live: updates are being posted and readers' pages fetch new ones. "
            "Closed: coverage is over; the summary is shown at the top."
        ),
    )
    starts_at = models.DateTimeField(
        _("coverage start"), default=timezone.now, help_text=_("When live coverage began.")
    )
    ends_at = models.DateTimeField(
        _("coverage end"),
        null=True,
        blank=True,
        help_text=_(
            "When live coverage ends: while live, the time it is expected to end "
            "(optional); set to the closing time when it is closed."
        ),
    )
    summary = models.TextField(
        _("closing summary"),
        blank=True,
        help_text=_(
            "What happened, in a few sentences (Markdown), shown above the updates "
            "once coverage is closed."
        ),
    )
    summary_html = models.TextField(editable=False, blank=True)

    objects = LiveCoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage")
        indexes = [models.Index(fields=["state"], name="live_coverage_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="live_coverage_ends_after_start",
                violation_error_message=_("Coverage cannot end before it starts."),
            )
        ]

    def __str__(self):
        return gettext("Live coverage of “%(article)s”") % {"article": self.article}

    def save(self, *args, **kwargs):
        self.summary_html = render_markdown(self.summary)
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.state == self.State.LIVE


@reversion.register(follow=["quotes"])
class LiveUpdate(models.Model):
    """One short, timestamped update of a live article, with its own anchor on the page."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="live_updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_updates",
    )
    published_at = models.DateTimeField(
        _("time"), default=timezone.now, help_text=_("The time shown with the update.")
    )
    headline = models.CharField(
        max_length=200, blank=True, help_text=_("Optional: a few words in bold above the text.")
    )
    body = models.TextField(
        _("text"), help_text=_("A few sentences of Markdown, as in the article's body.")
    )
    body_html = models.TextField(editable=False, blank=True)
    is_key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("Listed in the “Key events” summary at the top.")
    )
    is_pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Shown above the others; pinning one unpins the article's previous one."),
    )
    correction = models.TextField(
        blank=True,
        help_text=_(
            "If this update was wrong: what was wrong and what is right now. "
            "Shown to readers under it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Goes up by one on every edit; an edit based on an older number is stale."),
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["article", "-published_at", "-id"], name="live_update_by_article"),
            models.Index(fields=["article", "-updated_at"], name="live_update_changed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(is_pinned=True),
                name="one_pinned_update_per_article",
                violation_error_message=_("Only one update of an article can be pinned."),
            )
        ]

    def __str__(self):
        return self.headline or self.body[:60]

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return ANCHOR.format(self.pk)

    def get_admin_url(self):
        return reverse("admin:articles_liveupdate_change", args=[self.pk])
