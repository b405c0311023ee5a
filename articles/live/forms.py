"""The admin's forms for live updates: the compact post form, and editing one update."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import limits
from articles.admin_site import is_value_of
from articles.live.models import LiveUpdate
from articles.live.services import MAX_UPDATE_CHARS
from articles.models import Article, Person, Quote


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Redisplays only posted values that can be ids: a forged “abc” gets the form's own
    message, as on the article form (articles.admin.CheckedAutocompleteMixin)."""

    def optgroups(self, name, value, attr=None):
        pk = self.field.remote_field.model._meta.pk
        return super().optgroups(name, [v for v in value if is_value_of(pk, v)], attr)


# Quotes a form offers at once: an update is short, and says who said what in a line.
QUOTE_SLOTS = 2


class UpdateForm(forms.ModelForm):
    """An update's text and flags, and up to QUOTE_SLOTS quotes (speaker, role, words)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LiveUpdate
        fields = ["headline", "body", "is_key_event", "is_pinned"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = MAX_UPDATE_CHARS
        speaker_field = Quote._meta.get_field("speaker")
        existing = list(self.instance.quotes.all()) if self.instance.pk else []
        for n in range(1, QUOTE_SLOTS + 1):
            quote = existing[n - 1] if n <= len(existing) else None
            self.fields[f"speaker_{n}"] = forms.ModelChoiceField(
                Person.objects.all(),
                required=False,
                label=gettext("Quote %(number)s: speaker") % {"number": n},
                widget=CheckedAutocompleteSelect(speaker_field, admin.site),
                initial=quote and quote.speaker_id,
            )
            self.fields[f"role_{n}"] = forms.CharField(
                max_length=200,
                required=False,
                label=_("role when speaking"),
                help_text=_("Left empty: their current role."),
                initial=quote and quote.role,
            )
            self.fields[f"quote_{n}"] = forms.CharField(
                required=False,
                label=_("words"),
                max_length=limits.MAX_QUOTE_CHARS,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
                initial=quote and quote.text,
            )
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.edit_version

    def validate_unique(self):
        """Not here: pinning an update unpins the article's previous one (services)."""

    def quote_rows(self):
        """(speaker, role, words) of each quote filled in."""
        rows = []
        for n in range(1, QUOTE_SLOTS + 1):
            speaker = self.cleaned_data.get(f"speaker_{n}")
            text = (self.cleaned_data.get(f"quote_{n}") or "").strip()
            if speaker and text:
                rows.append((speaker, (self.cleaned_data.get(f"role_{n}") or "").strip(), text))
        return rows

    def clean(self):
        cleaned = super().clean()
        for n in range(1, QUOTE_SLOTS + 1):
            speaker, text = cleaned.get(f"speaker_{n}"), (cleaned.get(f"quote_{n}") or "").strip()
            if text and not speaker:
                self.add_error(f"speaker_{n}", gettext("Who said it?"))
            elif speaker and not text:
                self.add_error(f"quote_{n}", gettext("What did they say?"))
        return cleaned

    def quote_fields(self):
        """The quote slots' bound fields, a row of three each, for the templates."""
        return [
            [self[f"speaker_{n}"], self[f"role_{n}"], self[f"quote_{n}"]]
            for n in range(1, QUOTE_SLOTS + 1)
        ]


class PostForm(UpdateForm):
    """The compact form: a new update, to the article given (or chosen from the list)."""

    article = forms.ModelChoiceField(Article.objects.none(), label=_("Live article"))

    def __init__(self, *args, articles=None, hide_article=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = (
            articles if articles is not None else Article.objects.none()
        )
        if hide_article:  # on the article's own page
            self.fields["article"].widget = forms.HiddenInput()
        self.order_fields(["article"])


class EditForm(UpdateForm):
    """Editing an update: its time and a correction readers see, besides the rest."""

    class Meta(UpdateForm.Meta):
        fields = [*UpdateForm.Meta.fields, "published_at", "correction"]

    def clean_base_version(self):
        value = self.cleaned_data.get("base_version")
        if value is None:
            raise ValidationError(gettext("The form is missing its edit number: reload the page."))
        return value
