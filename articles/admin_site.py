"""The newsroom's admin site: ranked autocomplete with usage counts, and vocabulary cleanup."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.template.response import TemplateResponse
from django.urls import path


class RankedAutocompleteView(AutocompleteJsonView):
    """Each suggestion says how often it is used, so editors pick the established entry."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        usage = getattr(obj, "usage", None)
        if usage is not None:
            result["text"] = f"{result['text']} ({usage} use{'s' if usage != 1 else ''})"
        return result


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom — editors"
    site_title = "Newsroom"
    index_title = "Newsroom"

    def autocomplete_view(self, request):
        return RankedAutocompleteView.as_view(admin_site=self)(request)

    def get_urls(self):
        return [
            path("vocabulary/", self.admin_view(self.vocabulary_view), name="vocabulary"),
            *super().get_urls(),
        ]

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
        for label, model, admin_name in [
            ("Tags", Tag, "taggit_tag"),
            ("People", Person, "articles_person"),
            ("Events", Event, "articles_event"),
        ]:
            names = model.objects.values_list("name", flat=True)
            by_name = dict(model.objects.values_list("name", "pk"))
            sections.append(
                {
                    "label": label,
                    "admin_name": admin_name,
                    "unused": unused[label.lower()].order_by("name")[:500],
                    "duplicates": [
                        [(name, by_name[name]) for name in group]
                        for group in vocabulary.likely_duplicates(names)
                    ],
                }
            )
        context = {**self.each_context(request), "title": "Clean up tags, people and events",
                   "sections": sections}  # fmt: skip
        return TemplateResponse(request, "admin/vocabulary.html", context)
