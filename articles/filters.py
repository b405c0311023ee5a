"""The reader's filters on /articles/: tags (all must match), event, person, date range."""

import re

from django import forms
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from articles import languages
from articles.listings import Selection
from articles.models import Event, Person
from articles.querysets import public_tags

MAX_TAGS = 10
SLUG = re.compile(r"[-\w]+")


class BadFilter(ValueError):
    """A filter value a person mistyped: answered with 400 and a readable message."""


class DateRangeForm(forms.Form):
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(gettext("The start date is after the end date."))
        return cleaned


class ArticleFilter:
    """
    Reads and checks the filters in a query string: as a ``Selection`` for the pages
    (``articles.listings``), or applied to a queryset (the API).

    Unknown tags, events or people answer 404 (like an unknown page); malformed
    values (``from=notadate``) raise BadFilter, which the view answers with 400.
    """

    def __init__(self, params: QueryDict):
        self.params = params
        tag_slugs = list(dict.fromkeys(s for s in params.getlist("tag") if s.strip()))
        if len(tag_slugs) > MAX_TAGS:
            message = gettext("Choose at most %(count)d tags at a time.")
            raise BadFilter(message % {"count": MAX_TAGS})
        self.tags = self._tags(tag_slugs)
        self.event = self._one(Event.objects.public(), params.get("event"))
        self.person = self._one(Person.objects.public(), params.get("person"))
        dates = DateRangeForm({"date_from": params.get("from"), "date_to": params.get("to")})
        if not dates.is_valid():
            raise BadFilter(
                gettext("Dates must be written as YYYY-MM-DD, with the start before the end.")
            )
        self.date_from = dates.cleaned_data["date_from"]
        self.date_to = dates.cleaned_data["date_to"]

    @staticmethod
    def _tags(slugs):
        if not all(SLUG.fullmatch(slug) for slug in slugs):
            raise Http404("No such tag.")
        # With their profiles: their names in the reader's language.
        found = public_tags().filter(slug__in=slugs).select_related("profile")
        tags = {tag.slug: tag for tag in found}
        if len(tags) != len(slugs):
            raise Http404("No such tag.")
        return [tags[slug] for slug in slugs]

    @staticmethod
    def _one(queryset, slug):
        if not slug:
            return None
        if not SLUG.fullmatch(slug):
            # Not even shaped like a slug (a NUL byte, say): unknown, without asking the database.
            raise Http404("No such page.")
        return get_object_or_404(queryset, slug=slug)

    @property
    def is_active(self):
        return bool(self.tags or self.event or self.person or self.date_from or self.date_to)

    def apply(self, queryset):
        queryset = queryset.with_all_tags(self.tags)
        if self.event:
            queryset = queryset.linked_to(self.event)
        if self.person:
            queryset = queryset.quoting(self.person)
        if self.date_from:
            queryset = queryset.filter(publication_date__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(publication_date__lte=self.date_to)
        return queryset

    def selection(self):
        """The articles these filters choose, for ``articles.listings``."""
        return Selection(
            tag_ids=tuple(tag.pk for tag in self.tags),
            event_id=self.event and self.event.pk,
            person_id=self.person and self.person.pk,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def active(self):
        """Each active filter as (kind, label, the query string without it)."""
        language = languages.current()
        tag = pgettext("filter", "Tag")
        chips = [
            (tag, languages.translated_text(t, "name", language)[0], self._without("tag", t.slug))
            for t in self.tags
        ]
        if self.event:
            name = languages.translated_text(self.event, "name", language)[0]
            chips.append((pgettext("filter", "Event"), name, self._without("event")))
        if self.person:
            chips.append((pgettext("filter", "Person"), self.person.name, self._without("person")))
        if self.date_from:
            day = date_format(self.date_from, "j F Y")
            chips.append((pgettext("filter", "From"), day, self._without("from")))
        if self.date_to:
            day = date_format(self.date_to, "j F Y")
            chips.append((pgettext("filter", "To"), day, self._without("to")))
        return chips

    def _without(self, key, value=None):
        params = self.params.copy()
        params.pop("page", None)
        if value is None:
            params.pop(key, None)
        else:
            params.setlist(key, [v for v in params.getlist(key) if v != value])
        return params.urlencode()

    def adding(self, key, value):
        """The query string with one more filter, back on the first page."""
        params = self.params.copy()
        params.pop("page", None)
        if key == "tag":
            params.appendlist(key, value)
        else:
            params[key] = value
        return params.urlencode()

    def query_string(self):
        """The filters without the page number, for pagination links."""
        params = self.params.copy()
        params.pop("page", None)
        return params.urlencode()
