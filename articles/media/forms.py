"""The library's forms: one picture, several at once, and its texts."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import images
from articles.media.models import Picture

MAX_FILES_AT_ONCE = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked later, one by one, by its name."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise ValidationError(gettext("Choose one or more pictures."))
        if len(files) > MAX_FILES_AT_ONCE:
            raise ValidationError(
                gettext("Upload at most %(limit)s pictures at once; %(count)s were sent.")
                % {"limit": MAX_FILES_AT_ONCE, "count": len(files)}
            )
        return files


class PictureForm(forms.ModelForm):
    """A picture's texts and focal point; on the add page, the file too."""

    upload = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, up to 25 MB. Location and camera data are removed."),
    )

    class Meta:
        model = Picture
        fields = ["alt", "caption", "credit", "source", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
        }

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if self.instance.pk is None and not upload:
            raise ValidationError(gettext("Choose a picture to upload."))
        if upload:
            # Decoded once here; the admin stores this very image.
            self.image = images.open_picture(upload)
        return upload


class BulkUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Pictures"),
        help_text=format_lazy(
            _(
                "Up to {limit} files: JPEG, PNG, WebP or GIF, up to 25 MB each. "
                "Alt text can be added to each afterwards; until then the library flags it."
            ),
            limit=MAX_FILES_AT_ONCE,
        ),
    )
    credit = forms.CharField(
        required=False,
        max_length=Picture._meta.get_field("credit").max_length,
        help_text=_("Given to every picture of this upload, e.g. “Reuters/Jane Doe”."),
    )
    source = forms.CharField(
        required=False,
        label=_("Source and licence"),
        max_length=Picture._meta.get_field("source").max_length,
        help_text=_("Given to every picture of this upload."),
    )
