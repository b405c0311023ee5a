"""The newsroom's admin site: ranked autocomplete with usage counts, and vocabulary cleanup."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import BadRequest, ObjectDoesNotExist, ValidationError
from django.db import connections, router
from django.forms.models import _get_foreign_key
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class RankedAutocompleteView(AutocompleteJsonView):
    """Each suggestion says how often it is used, so editors pick the established entry."""

    def process_request(self, request):
        found = super().process_request(request)  # checks the field and the permission
        if "\x00" in found[0]:
            # PostgreSQL refuses NUL characters in text, with an error that breaks the
            # transaction; no name holds one, so such a search is a forged request.
            raise BadRequest(gettext("A NUL character in the search term."))
        return found

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        usage = getattr(obj, "usage", None)
        if usage is not None:
            result["text"] = f"{result['text']} ({usage} use{'s' if usage != 1 else ''})"
        return result


def is_value_of(field, value):
    """
    Whether ``value`` (as posted) can be stored in ``field``: “abc” is no id, and
    neither is a number beyond what the database holds. The ORM answers an id out of
    range with no row for a field of its own, but not for one that is another model's
    key (a primary key that is also a link: the live coverage of an article).
    """
    try:
        prepared = field.get_prep_value(value)
    except (TypeError, ValueError, ValidationError):
        return False
    if isinstance(prepared, int):
        target = getattr(field, "target_field", None) or field
        ranges = connections[router.db_for_read(field.model)].ops.integer_field_ranges
        low, high = ranges.get(target.get_internal_type(), (None, None))
        return (low is None or prepared >= low) and (high is None or prepared <= high)
    return True


class CheckedInput:
    """
    What every admin on this site gets: forged action selections and list parameters
    are answered with a message, not a server error.
    """

    def get_changelist_instance(self, request):
        if any("\x00" in text for pair in request.GET.lists() for text in [pair[0], *pair[1]]):
            # PostgreSQL refuses NUL characters in text (a DataError that breaks the
            # transaction), so a search or filter with one is refused before it runs.
            raise IncorrectLookupParameters(gettext("A NUL character in the parameters."))

        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            # A year or an id out of range (“?published_at__year=-1”, twenty-digit ids)
            # passes Django's checks of the parameters and fails only when the list is
            # counted; the admin then answers as for any parameter it does not know.
            raise IncorrectLookupParameters(error) from error

    def get_object(self, request, object_id, from_field=None):
        """None (the admin's “no such object”) for an id the key cannot hold: a number
        past its range reached the database where the key links another row."""
        opts = self.model._meta
        field = opts.pk if from_field is None else opts.get_field(from_field)
        if not is_value_of(field, object_id):
            return None
        return super().get_object(request, object_id, from_field)

    def response_action(self, request, queryset, *args, **kwargs):
        """Django filters the selected rows with the posted values as they are, so a
        forged “abc” among them raised ValueError instead of giving a message."""
        pk = self.model._meta.pk
        if not all(is_value_of(pk, value) for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            self.message_user(
                request,
                gettext(
                    "The selection holds something that is not one of the listed items; "
                    "nothing was changed. Reload the list and select again."
                ),
                messages.ERROR,
            )
            return None  # the admin shows the list again with the message
        return super().response_action(request, queryset, *args, **kwargs)


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom — editors")
    site_title = _("Newsroom")
    index_title = _("Newsroom")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin on this site, the newsroom's and other apps', checks its input."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CheckedInput):
            attributes = {"__module__": admin_class.__module__}
            admin_class = type(admin_class.__name__, (CheckedInput, admin_class), attributes)
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request):
        return RankedAutocompleteView.as_view(admin_site=self)(request)

    def get_urls(self):
        from articles.planning.views import planning_view

        # Django's “view on site” redirect (/r/<content type>/<id>/) looked nothing up
        # but the object: it gave anyone on staff the address of any draft, and the
        # signed address of any share link. Here it follows the change form's rule.
        return [
            path("vocabulary/", self.admin_view(self.vocabulary_view), name="vocabulary"),
            path("planning/", self.admin_view(planning_view), name="planning"),
            *[
                path(str(url.pattern), self.admin_view(self.view_on_site), name=url.name)
                if getattr(url, "name", None) == "view_on_site"
                else url
                for url in super().get_urls()
            ],
        ]

    def index(self, request, extra_context=None):
        """The start page opens with each person's dashboard (articles.planning)."""
        from articles.planning.dashboard import dashboard

        context = {"dashboard": dashboard(request.user), **(extra_context or {})}
        return super().index(request, context)

    def view_on_site(self, request, content_type_id, object_id):
        """The public address of an object, for whoever may open it in the admin."""
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
            obj = model._default_manager.get(pk=object_id) if model else None
        except (ObjectDoesNotExist, ValueError, ValidationError):
            obj = None
        if obj is None or not self.may_view(request, obj):
            raise Http404(gettext("No such object, or not one you may open."))
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def may_view(self, request, obj):
        """
        Whether ``request.user`` may open ``obj`` in this admin: through its own change
        form (its admin's list holds it and allows viewing it), or as a row of an inline
        in the change form of an object they may open, where that inline shows it.
        """
        model_admin = self._registry.get(type(obj))
        if model_admin is not None:
            found = model_admin.get_object(request, quote(obj.pk))
            return found is not None and model_admin.has_view_or_change_permission(request, found)
        for parent_admin in self._registry.values():
            for inline_class in parent_admin.inlines:
                if inline_class.model is not type(obj):
                    continue
                fk = _get_foreign_key(parent_admin.model, type(obj), fk_name=inline_class.fk_name)
                parent = getattr(obj, fk.name)
                if not self.may_view(request, parent):
                    continue
                for inline in parent_admin.get_inline_instances(request, parent):
                    if type(inline) is inline_class and inline.has_view_or_change_permission(
                        request, parent
                    ):
                        return True
        return False

    def vocabulary_view(self, request):
        """Unused tags, people and events, and likely duplicates, for cleanup."""
        from django.core.exceptions import PermissionDenied
        from taggit.models import Tag

        from articles import vocabulary
        from articles.models import Event, Person

        if not request.user.has_perm("articles.view_person"):
            raise PermissionDenied
        unused = vocabulary.unused()
        sections = []
        for kind, label, model, admin_name in [
            ("tags", gettext("Tags"), Tag, "taggit_tag"),
            ("people", gettext("People"), Person, "articles_person"),
            ("events", gettext("Events"), Event, "articles_event"),
        ]:
            names = model.objects.values_list("name", flat=True)
            by_name = dict(model.objects.values_list("name", "pk"))
            sections.append(
                {
                    "label": label,
                    "admin_name": admin_name,
                    "unused": unused[kind].order_by("name")[:500],
                    "duplicates": [
                        [(name, by_name[name]) for name in group]
                        for group in vocabulary.likely_duplicates(names)
                    ],
                    "duplicate_limit": vocabulary.limits.MAX_DUPLICATE_GROUPS,
                }
            )
        context = {
            **self.each_context(request),
            "title": gettext("Clean up tags, people and events"),
            "sections": sections,
        }

        return TemplateResponse(request, "admin/vocabulary.html", context)
