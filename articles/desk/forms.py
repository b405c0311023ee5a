import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from taggit.forms import TagField
from taggit.models import Tag

from articles import limits
from articles.models import Article, Picture, Quote

# Quote rows hold little besides their text; this bounds the JSON before it is parsed.
MAX_QUOTES_JSON_CHARS = limits.MAX_QUOTES_PER_ARTICLE * (limits.MAX_QUOTE_CHARS + 500)
MAX_ID = 2**63 - 1
MAX_POSITION = 32767
ROLE_LENGTH = Quote._meta.get_field("role").max_length


class DeskTextForm(forms.Form):
    """
    The text of the article form as its script sends it, within the limits a save of the
    article would apply: nothing is kept or rendered that the article could not hold.
    """

    title = forms.CharField(
        required=False, strip=False, max_length=Article._meta.get_field("title").max_length
    )
    standfirst = forms.CharField(required=False, strip=False)
    body = forms.CharField(required=False, strip=False)
    quotes = forms.CharField(required=False, strip=False, max_length=MAX_QUOTES_JSON_CHARS)

    def clean_standfirst(self):
        return within("standfirst", self.cleaned_data["standfirst"], limits.MAX_STANDFIRST_CHARS)

    def clean_body(self):
        return within("body", self.cleaned_data["body"], limits.MAX_BODY_CHARS)

    def clean_quotes(self):
        raw = self.cleaned_data["quotes"] or "[]"
        try:
            rows = json.loads(raw)
        except (ValueError, RecursionError):
            raise ValidationError(gettext("The quotes are not a JSON list.")) from None
        if not isinstance(rows, list):
            raise ValidationError(gettext("The quotes are not a JSON list."))
        if len(rows) > limits.MAX_QUOTES_PER_ARTICLE:
            raise ValidationError(
                gettext("An article may have at most %(limit)s quotes; %(count)s were sent.")
                % {"limit": limits.MAX_QUOTES_PER_ARTICLE, "count": f"{len(rows):,}"}
            )
        return [quote_row(row) for row in rows]

    def first_error(self):
        """One sentence for the form's status line."""
        field, errors = next(iter(self.errors.items()))
        return f"{field}: {errors[0]}" if field != "__all__" else errors[0]


class AutosaveForm(DeskTextForm):
    """What the article form's script sends every few seconds, to keep as an autosave."""

    base_version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    draft = forms.UUIDField(required=False)

    def __init__(self, *args, needs_draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].required = needs_draft


class PreviewForm(DeskTextForm):
    """
    What the script sends for the preview pane and the checklist: the text, and the
    fields of the form a reader or the checklist sees. Nothing of it is stored.
    """

    slug = forms.CharField(required=False, max_length=Article._meta.get_field("slug").max_length)
    dateline = forms.CharField(
        required=False, max_length=Article._meta.get_field("dateline").max_length
    )
    lead_image_alt = forms.CharField(
        required=False, max_length=Picture._meta.get_field("alt").max_length
    )
    lead_image_caption = forms.CharField(
        required=False, max_length=Picture._meta.get_field("caption").max_length
    )
    lead_image_credit = forms.CharField(
        required=False, max_length=Picture._meta.get_field("credit").max_length
    )
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.all(), required=False)
    new_tags = TagField(required=False)

    def clean_new_tags(self):
        names = self.cleaned_data["new_tags"] or []
        if problem := limits.new_tags_problem(names, Tag._meta.get_field("name").max_length):
            raise ValidationError(problem)
        return names


def within(label, text, limit):
    if problem := limits.too_long(label, text, limit):
        raise ValidationError(problem)
    return text


# The names of a quote's parts in messages, marked for translation.
QUOTE_PARTS = [gettext_noop("id"), gettext_noop("speaker"), gettext_noop("position")]


def quote_row(row):
    """One quote row as stored: {id, speaker, role, text, position}, each checked."""
    if not isinstance(row, dict):
        raise ValidationError(gettext("Each quote must be a JSON object."))
    return {
        "id": number(row.get("id"), "id", MAX_ID),
        "speaker": number(row.get("speaker"), "speaker", MAX_ID),
        "role": text(row.get("role"), "role", ROLE_LENGTH),
        "text": text(row.get("text"), "quote", limits.MAX_QUOTE_CHARS),
        "position": number(row.get("position"), "position", MAX_POSITION),
    }


def number(value, label, largest):
    """An optional id or position: the form sends "" for a row not yet filled in."""
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= largest:
        raise ValidationError(
            gettext("A quote's %(label)s must be a whole number.") % {"label": gettext(label)}
        )
    return value


def text(value, label, limit):
    value = "" if value is None else value
    if not isinstance(value, str):
        raise ValidationError(
            gettext("A quote's %(label)s must be text.") % {"label": gettext(label)}
        )
    if "\x00" in value:
        raise ValidationError(
            gettext("A quote's %(label)s holds a NUL character.") % {"label": gettext(label)}
        )
    return within(label, value, limit)
