"""
Choosing a picture of the library: the JSON search the chooser's script asks as the
editor types, and the form widget that works as a plain select without it.

The search answers ``GET <admin>/articles/picture/choose/?q=words&page=1`` with
``{"results": [picture, ...], "page": 1, "more": false}``, each picture
``{"id", "label", "alt", "caption", "credit", "source", "thumbnail", "width",
"height", "needs_alt", "uploaded_at"}`` (``thumbnail`` an address; ``needs_alt``
true while the picture has no alt text). Bad input answers 400 with ``{"error": ...}``.
"""

from django import forms
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from articles import script_labels
from articles.media.models import Picture
from articles.media.rendering import picture_data

PAGE_SIZE = 24
MAX_QUERY_CHARS = 200
# Without the script the select lists the newest pictures (and the chosen one).
SELECT_CHOICES = 100


def picture_json(picture):
    data = picture_data(picture) or {}
    teaser = data.get("teaser") or {}
    return {
        "id": picture.pk,
        "label": str(picture),
        "alt": picture.alt,
        "caption": picture.caption,
        "credit": picture.credit,
        "source": picture.source,
        "thumbnail": teaser.get("thumbnail") or data.get("thumbnail", ""),
        "width": picture.width,
        "height": picture.height,
        "needs_alt": picture.needs_alt,
        "uploaded_at": picture.uploaded_at.isoformat(),
    }


def refusal(message):
    return JsonResponse({"error": message}, status=400)


def search_view(request):
    """The chooser's search (permission checked by the caller)."""
    words = request.GET.get("q", "")
    if len(words) > MAX_QUERY_CHARS:
        return refusal(
            gettext("Search for at most %(limit)s characters.") % {"limit": MAX_QUERY_CHARS}
        )
    if "\x00" in words:
        return refusal(gettext("The search holds a character no picture's text can hold."))
    page = request.GET.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= 10_000:
        return refusal(gettext("The page is a number from 1."))
    page = int(page)
    start = (page - 1) * PAGE_SIZE
    found = list(Picture.objects.matching(words)[start : start + PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [picture_json(p) for p in found[:PAGE_SIZE]],
            "page": page,
            "more": len(found) > PAGE_SIZE,
        }
    )


class PictureChooser(forms.Select):
    """
    A select of the newest pictures; the chooser script (articles/media/chooser.js)
    turns it into a search as you type with thumbnails.
    """

    wrapper_template = "admin/articles/picture/chooser_widget.html"

    class Media:
        js = ["articles/media/chooser.js"]
        css = {"all": ["articles/media/media.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {
            **(attrs or {}),
            "data-picture-chooser": reverse("admin:articles_picture_choose"),
            "data-labels": script_labels.as_json(script_labels.PICTURE_CHOOSER),
        }
        select = super().render(name, value, attrs, renderer)
        chosen = getattr(self, "chosen", None)
        context = {"select": select, "chosen": picture_json(chosen) if chosen else None}
        return render_to_string(self.wrapper_template, context)


def limit_choices(field, chosen=None):
    """Give the chooser ``field`` the newest pictures (and ``chosen``) as its options;
    the field still accepts any picture of the library."""
    newest = list(Picture.objects.only("id", "alt", "caption")[:SELECT_CHOICES])
    if chosen is not None and chosen not in newest:
        newest.insert(0, chosen)
    field.widget.choices = [("", gettext("No lead image"))] + [(p.pk, str(p)) for p in newest]
    field.widget.chosen = chosen
