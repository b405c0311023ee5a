"""The coverage assignments in the admin: editors plan them, writers see and start their own."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.admin import CheckedAutocompleteAdmin
from articles.planning import services
from articles.planning.models import Coverage
from articles.planning.permissions import can_start, visible_coverage
from articles.roles import EDITORS, WRITERS


def writers():
    """Who may be assigned coverage: active staff among the writers and editors."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name__in=[WRITERS, EDITORS]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class WriterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class CoverageForm(forms.ModelForm):
    class Meta:
        model = Coverage
        fields = ["event", "kind", "assignee", "due_at", "brief", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            field = self.fields["assignee"]
            self.fields["assignee"] = WriterChoiceField(
                queryset=writers(),
                required=False,
                label=field.label,
                help_text=field.help_text,
                widget=forms.Select,
            )

    def clean(self):
        cleaned = super().clean()
        status, assignee = cleaned.get("status"), cleaned.get("assignee")
        # Naming a writer assigns the piece; taking the writer away makes it planned again.
        if assignee is not None and status == Coverage.Status.PLANNED:
            cleaned["status"] = Coverage.Status.ASSIGNED
        elif assignee is None and status == Coverage.Status.ASSIGNED:
            cleaned["status"] = Coverage.Status.PLANNED
        return cleaned


@admin.register(Coverage)
class CoverageAdmin(CheckedAutocompleteAdmin, admin.ModelAdmin):
    form = CoverageForm
    list_display = ["event_and_date", "kind", "writer", "due_at", "status_label", "piece"]
    list_filter = ["status", "kind", "due_at"]
    list_select_related = ["event", "assignee", "article"]
    search_fields = ["event__name", "brief"]
    autocomplete_fields = ["event"]
    date_hierarchy = "due_at"
    change_form_template = "admin/planning/coverage_change_form.html"
    change_list_template = "admin/planning/coverage_change_list.html"

    def get_queryset(self, request):
        """A writer sees their own assignments, and nobody else's."""
        return visible_coverage(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        if self.has_change_permission(request):
            return [*self.list_filter, ("assignee", admin.RelatedOnlyFieldListFilter)]
        return self.list_filter

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "assignee" in form.changed_data and services.hand_over(obj):
            writer = obj.assignee.get_full_name() or obj.assignee.get_username()
            self.message_user(
                request, f"{writer} is now an author of “{obj.article.title}”.", messages.INFO
            )

    @admin.display(description=_("event"), ordering="event__starts_on")
    def event_and_date(self, obj):
        return format_html(
            "{}<br><small>{}</small>", obj.event.name, obj.event.starts_on.strftime("%-d %b %Y")
        )

    @admin.display(description=_("writer"), ordering="assignee__first_name")
    def writer(self, obj):
        if obj.assignee is None:
            return "—"
        return obj.assignee.get_full_name() or obj.assignee.get_username()

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        notes = []
        if obj.event_changed:
            notes.append(
                gettext("Event %(status)s") % {"status": obj.event.get_status_display().lower()}
            )
        if obj.is_overdue:
            notes.append(gettext("Overdue"))
        if not notes:
            return obj.get_status_display()
        return format_html(
            '{} <strong class="planning-alert">{}</strong>', obj.get_status_display(),
            " · ".join(notes),
        )  # fmt: skip

    @admin.display(description=_("article"))
    def piece(self, obj):
        if obj.article_id is not None:
            url = reverse("admin:articles_article_change", args=[obj.article_id])
            return format_html('<a href="{}">{}</a>', url, obj.article.title)
        if obj.status == Coverage.Status.CANCELLED or obj.assignee_id is None:
            return "—"
        # The list is one form already: the button posts it to the start address.
        url = reverse("admin:articles_coverage_start", args=[obj.pk])
        return format_html(
            '<button type="submit" class="button" formaction="{}">{}</button>',
            url,
            gettext("Start the draft"),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/start/",
                self.admin_site.admin_view(self.start_view),
                name="articles_coverage_start",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_start"] = (
            obj is not None
            and obj.article_id is None
            and obj.assignee_id is not None
            and obj.status != Coverage.Status.CANCELLED
            and can_start(request.user, obj)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def start_view(self, request, object_id):
        """POST: start the draft of this piece (or open the one started), see services."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        coverage = self.get_object(request, unquote(object_id))
        if coverage is None:
            raise Http404(gettext("No such coverage, or not yours."))
        try:
            article = services.start_coverage(coverage, request.user)
        except PermissionDenied:
            raise
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:articles_coverage_change", coverage.pk)
        self.message_user(
            request,
            gettext(
                "“%(title)s” is yours to write: it is linked to %(event)s, and publishing it "
                "marks the coverage filed."
            )
            % {"title": article.title, "event": coverage.event},
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)
