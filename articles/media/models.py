"""The library's records: a picture, and each use of it by an article."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def fraction(label):
    message = format_lazy(_("The {label} is a fraction from 0 to 1."), label=label)
    return [MinValueValidator(0.0, message), MaxValueValidator(1.0, message)]


class PictureQuerySet(models.QuerySet):
    def unused(self):
        """Pictures no article uses (as lead image or in its body)."""
        return self.exclude(Exists(PictureUse.objects.filter(picture=OuterRef("pk"))))

    def used(self):
        return self.filter(Exists(PictureUse.objects.filter(picture=OuterRef("pk"))))

    def without_alt(self):
        return self.filter(alt__regex=r"^\s*$")

    def matching(self, words):
        """Pictures whose alt text, caption or credit contain every one of ``words``."""
        queryset = self
        for word in words.split():
            queryset = queryset.filter(
                Q(alt__icontains=word) | Q(caption__icontains=word) | Q(credit__icontains=word)
            )
        return queryset


class Picture(models.Model):
    """A picture of the library: the stripped master, its renditions and how to credit it."""

    file = models.ImageField(
        _("picture"),
        max_length=200,
        unique=True,
        help_text=_("JPEG, PNG, WebP or GIF, up to 25 MB. Location and camera data are removed."),
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text=_("The resized copies made at upload: name, width, height and format of each."),
    )
    crops = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Copies cut around the focal point (social card, square, thumbnail)."),
    )
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Needed before an "
            "article using it is published."
        ),
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text=_("E.g. “Reuters/Jane Doe”."))
    source = models.CharField(
        _("source and licence"),
        max_length=300,
        blank=True,
        help_text=_("Where it came from and on what terms, e.g. “PA Images, agency licence”."),
    )
    focal_x = models.FloatField(
        _("focal point (across)"),
        default=0.5,
        validators=fraction(_("focal point")),
        help_text=_("From 0 (left edge) to 1 (right edge)."),
    )
    focal_y = models.FloatField(
        _("focal point (down)"),
        default=0.5,
        validators=fraction(_("focal point")),
        help_text=_("From 0 (top edge) to 1 (bottom edge)."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    objects = PictureQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["-uploaded_at"], name="picture_uploaded_desc")]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="picture_focal_point_inside",
                violation_error_message=_("The focal point must be inside the picture."),
            )
        ]

    def __str__(self):
        text = self.alt.strip() or self.caption.strip()
        return text[:80] if text else gettext("Picture %(id)s (no alt text)") % {"id": self.pk}

    @property
    def needs_alt(self):
        return not self.alt.strip()

    def files(self):
        """Every stored file: the master, each rendition and each focal crop."""
        names = [self.file.name] if self.file else []
        names += [r["name"] for r in self.renditions]
        names += [r["name"] for crop in self.crops.values() for r in crop]
        return names

    def crop_files(self):
        return [r["name"] for crop in self.crops.values() for r in crop]

    def clean(self):
        for name in ("alt", "caption", "credit", "source"):
            setattr(self, name, " ".join(getattr(self, name).split()))
        if not (0 <= self.focal_x <= 1 and 0 <= self.focal_y <= 1):
            raise ValidationError(_("The focal point must be inside the picture."))


class PictureUse(models.Model):
    """One article's use of one picture; a picture in use cannot be deleted."""

    class Kind(models.TextChoices):
        LEAD = "lead", _("Lead image")
        BODY = "body", _("In the body")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="picture_uses"
    )
    picture = models.ForeignKey(Picture, on_delete=models.PROTECT, related_name="uses")
    kind = models.CharField(max_length=4, choices=Kind)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["picture", "article", "kind"], name="unique_picture_use"
            )
        ]
        indexes = [models.Index(fields=["article", "kind"], name="picture_use_article")]

    def __str__(self):
        return gettext("%(kind)s of “%(article)s”") % {
            "kind": self.get_kind_display(),
            "article": self.article,
        }
