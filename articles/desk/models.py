import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AutosaveQuerySet(models.QuerySet):
    def fresh(self):
        """Autosaves still offered for restoring: older ones are purged (AUTOSAVE_KEEP_DAYS)."""
        return self.filter(saved_at__gte=autosave_cutoff())

    def expired(self):
        return self.filter(saved_at__lt=autosave_cutoff())


def autosave_cutoff():
    return timezone.now() - datetime.timedelta(days=settings.AUTOSAVE_KEEP_DAYS)


class Autosave(models.Model):
    """
    The text of an article form as its editor left it, saved every few seconds while
    they type, so that a crashed browser or a closed tab loses nothing.

    One per person and article (or, for an article never saved, per person and the
    draft key its add form was given): a person's autosave never replaces anyone
    else's, and never touches the article, its edit number or its revisions. Saving the
    article deletes it; a save refused as stale keeps it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="autosaves"
    )
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
    )
    draft_key = models.UUIDField(
        null=True, blank=True, help_text=_("Names the add form of an article not yet saved.")
    )
    title = models.CharField(_("headline"), max_length=250, blank=True)
    standfirst = models.TextField(blank=True)
    body = models.TextField(blank=True)
    quotes = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "The quote rows of the form: id (of a saved quote), speaker, role, text, position."
        ),
    )
    base_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "The article's edit number when the form was opened: restored with the "
            "text, so that saving it over someone else's later save is refused as stale."
        ),
    )
    saved_at = models.DateTimeField(default=timezone.now)

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="one_autosave_per_user_and_article",
            ),
            models.UniqueConstraint(
                fields=["user", "draft_key"],
                condition=models.Q(draft_key__isnull=False),
                name="one_autosave_per_user_and_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, draft_key__isnull=True)
                | models.Q(article__isnull=True, draft_key__isnull=False),
                name="autosave_of_an_article_or_a_draft",
            ),
        ]
        indexes = [models.Index(fields=["user", "-saved_at"], name="autosave_user_newest")]

    def __str__(self):
        if self.article is None:
            return gettext("Autosave by %(user)s of a new article") % {"user": self.user}
        return gettext("Autosave by %(user)s of %(article)s") % {
            "user": self.user,
            "article": self.article,
        }
