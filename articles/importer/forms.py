"""The admin's “Import from text” page: the source, then the editor's review of each find."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.importer.analyse import names_query
from articles.importer.proposal import (
    ImportProblem,
    Proposal,
    ProposedEvent,
    ProposedPerson,
    ProposedQuote,
)
from articles.importer.source import read_text
from articles.models import ArticleEvent, Event, Person


def date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class SourceForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the story"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text=_("Plain text or Markdown: the headline on the first line."),
    )
    file = forms.FileField(label=_("…or upload a text file"), required=False)
    published_on = forms.DateField(
        label=_("Story date"),
        initial=timezone.localdate,
        widget=date_input(),
        help_text=_("Dates in the story (“on 19 May”) are read against this one."),
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text", "")
        try:
            if upload:
                cleaned["source"] = read_text(upload.read())
            else:
                cleaned["source"] = read_text(text)
        except ImportProblem as problem:
            raise forms.ValidationError(str(problem)) from problem
        return cleaned


class ArticleReviewForm(forms.Form):
    title = forms.CharField(label=_("Headline"), max_length=250)
    standfirst = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 16}))
    dateline = forms.CharField(required=False, max_length=100)
    published_on = forms.DateField(label=_("Story date"), widget=date_input())
    publish = forms.BooleanField(
        required=False, label=_("Publish at once (otherwise saved as a draft)")
    )


class AcceptForm(forms.Form):
    accept = forms.BooleanField(required=False, initial=True)


class QuoteReviewForm(AcceptForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    speaker = forms.CharField(required=False, max_length=200)
    role = forms.CharField(required=False, max_length=200)
    # Shown beside the quote, not saved: carried along so the page shows it again after
    # an error.
    evidence = forms.CharField(required=False, widget=forms.HiddenInput)


class PersonReviewForm(AcceptForm):
    name = forms.CharField(max_length=200)
    role = forms.CharField(required=False, max_length=200)
    existing_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TagReviewForm(AcceptForm):
    name = forms.CharField(max_length=100)


class EventReviewForm(AcceptForm):
    name = forms.CharField(max_length=200)
    starts_on = forms.DateField(required=False, widget=date_input())
    ends_on = forms.DateField(required=False, widget=date_input())
    date_precision = forms.ChoiceField(choices=Event.DatePrecision.choices)
    kind = forms.ChoiceField(choices=ArticleEvent.Kind.choices)
    location = forms.CharField(required=False, max_length=200)
    existing_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("An event cannot end before it starts."))
        return cleaned


def formset(form, prefix, data=None, initial=None):
    factory = forms.formset_factory(form, extra=0)
    return factory(data, initial=initial, prefix=prefix)


class Review:
    """The review page's forms, bound or filled in from a Proposal."""

    def __init__(self, data=None, proposal=None):
        initial = proposal_initial(proposal) if proposal else {}
        self.article = ArticleReviewForm(data, initial=initial.get("article"))
        self.quotes = formset(QuoteReviewForm, "quotes", data, initial.get("quotes"))
        self.people = formset(PersonReviewForm, "people", data, initial.get("people"))
        self.tags = formset(TagReviewForm, "tags", data, initial.get("tags"))
        self.events = formset(EventReviewForm, "events", data, initial.get("events"))
        self.notes = proposal.notes if proposal else []

    def parts(self):
        return [self.article, self.quotes, self.people, self.tags, self.events]

    def is_valid(self):
        valid = all(part.is_valid() for part in self.parts())
        return valid and self._check_links()

    def _check_links(self):
        """Every kept quote needs a speaker who is kept or already in the newsroom."""
        people = {f.cleaned_data["name"].lower() for f in self.people if accepted(f)}
        ok = True
        for form in self.quotes:
            if not accepted(form):
                continue
            speaker = form.cleaned_data["speaker"].strip()
            if not speaker:
                form.add_error(
                    "speaker", gettext("Say who said this, or untick it to drop the quote.")
                )
                ok = False
            elif (
                speaker.lower() not in people
                and not Person.objects.filter(names_query("name", speaker)).exists()
            ):
                form.add_error(
                    "speaker",
                    gettext("Keep %(speaker)s among the people below, or drop it.")
                    % {"speaker": speaker},
                )
                ok = False
        for form in self.events:
            data = form.cleaned_data if accepted(form) else {}
            if data and not data["existing_id"] and not data["starts_on"]:
                form.add_error("starts_on", gettext("A new event needs a date."))
                ok = False
        return ok

    def proposal(self):
        article = self.article.cleaned_data
        return Proposal(
            title=article["title"],
            standfirst=article["standfirst"],
            body=article["body"],
            published_on=article["published_on"],
            dateline=article["dateline"],
            quotes=[
                ProposedQuote(**fields(f, "text", "speaker", "role"), position=n)
                for n, f in enumerate((f for f in self.quotes if accepted(f)), 1)
            ],
            people=[
                ProposedPerson(**fields(f, "name", "role", "existing_id"))
                for f in self.people
                if accepted(f)
            ],
            tags=[f.cleaned_data["name"] for f in self.tags if accepted(f)],
            events=[ProposedEvent(**fields(f, *EVENT_FIELDS)) for f in self.events if accepted(f)],
        )


EVENT_FIELDS = [
    "name", "starts_on", "ends_on", "date_precision", "kind", "location", "existing_id",
]  # fmt: skip


def accepted(form):
    return form.is_valid() and form.cleaned_data.get("accept")


def fields(form, *names):
    return {name: form.cleaned_data[name] for name in names}


def proposal_initial(proposal):
    def event_initial(event):
        # A new event with no date cannot be saved as it is: offered, but not ticked.
        keep = bool(event.existing_id or event.starts_on)
        return {"accept": keep, **{name: getattr(event, name) for name in EVENT_FIELDS}}

    return {
        "article": {
            "title": proposal.title,
            "standfirst": proposal.standfirst,
            "body": proposal.body,
            "dateline": proposal.dateline,
            "published_on": proposal.published_on or datetime.date.today(),
        },
        "quotes": [
            {
                "accept": True,
                "text": q.text,
                "speaker": q.speaker,
                "role": q.role,
                "evidence": q.evidence,
            }
            for q in proposal.quotes
        ],
        "people": [
            {"accept": True, "name": p.name, "role": p.role, "existing_id": p.existing_id}
            for p in proposal.people
        ],
        "tags": [{"accept": True, "name": name} for name in proposal.tags],
        "events": [event_initial(event) for event in proposal.events],
    }
