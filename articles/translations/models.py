from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslatorLanguages(models.Model):
    """
    The languages a member of staff may write articles in. Without a row, any of the
    site's: only writers hired for some languages need one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translator_languages"
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_(
            "The language codes this person may write and translate articles in. "
            "Leave empty to allow every language of the site."
        ),
    )

    class Meta:
        verbose_name = _("languages written")
        verbose_name_plural = _("languages written")

    def __str__(self):
        return ", ".join(self.languages) or str(_("every language"))
