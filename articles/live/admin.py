"""
The editors' side of live coverage: the coverage itself (made live, closed with a
summary: editors), and the updates, posted in one step from a compact form at the top
of the live article's page in the admin (and of the updates' list), each editable in
place below it.

Posting and editing go through ``services``, so that the same rules, limits and
revisions hold whichever page the form was on.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from articles import permissions as article_permissions
from articles.live import permissions, services
from articles.live.forms import CheckedAutocompleteSelect, EditForm, PostForm
from articles.live.models import LiveCoverage, LiveUpdate
from articles.models import Article
from articles.restore import OwnPartVersionAdmin

# The post form's fields are named ``live-body``...: the article's own form on the same
# page has a ``body``.
POST_PREFIX = "live"
# Updates listed under the post form on the article's page, newest first.
RECENT_UPDATES = 10


def postable_articles(user):
    """The articles ``user`` may post updates to: live ones (any covered, for editors)."""
    articles = Article.objects.filter(live__isnull=False).select_related("live")
    if not user.has_perm("articles.edit_any_article"):
        mine = Q(created_by=user) | Q(authors=user)
        articles = articles.filter(mine, live__state=LiveCoverage.State.LIVE).distinct()
    return articles.order_by("-live__starts_at")


def back_to(request, fallback):
    """Where the form came from (``next``), if it is an address of this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def desk_context(request, article):
    """What the article's admin page shows of its live coverage (None: not covered live)."""
    if article is None:
        return None
    coverage = services.coverage_of(article)
    user = request.user
    if coverage is None:
        return {"coverage": None, "can_manage": permissions.can_manage(user)}
    here = request.get_full_path()
    may_post = permissions.can_post(user, article, coverage)
    updates = list(
        LiveUpdate.objects.filter(article=article)
        .select_related("author", "article")
        .prefetch_related("quotes")[:RECENT_UPDATES]
    )
    recent = [
        (
            update,
            EditForm(instance=update, prefix=f"u{update.pk}")
            if permissions.can_change(user, update, coverage)
            else None,
        )
        for update in updates
    ]
    return {
        "coverage": coverage,
        "can_manage": permissions.can_manage(user),
        "form": PostForm(
            prefix=POST_PREFIX,
            initial={"article": article.pk},
            articles=Article.objects.filter(pk=article.pk),
            hide_article=True,
        )
        if may_post
        else None,
        "recent": recent,
        "next": here,
        "count": article.live_updates.count(),
    }


class LiveCoverageForm(forms.ModelForm):
    class Meta:
        model = LiveCoverage
        fields = ["article", "state", "starts_at", "ends_at", "summary"]

    def clean(self):
        cleaned = super().clean()
        state, ends_at = cleaned.get("state"), cleaned.get("ends_at")
        if state == LiveCoverage.State.CLOSED and not ends_at:
            ends_at = max(timezone.now(), cleaned.get("starts_at") or timezone.now())
        elif state == LiveCoverage.State.LIVE and ends_at and ends_at <= timezone.now():
            ends_at = None  # reopened: the end it had is over, and no longer planned
        cleaned["ends_at"] = self.instance.ends_at = ends_at
        return cleaned


@admin.register(LiveCoverage)
class LiveCoverageAdmin(OwnPartVersionAdmin):
    """Which articles are covered live; editors make them live, close and summarise them."""

    form = LiveCoverageForm
    list_display = ["article", "state", "starts_at", "ends_at"]
    list_filter = ["state"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        visible = article_permissions.viewable(request.user, Article.objects.all())
        return queryset.filter(article__in=visible.values("pk"))

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or article_permissions.can_view(request.user, obj.article)

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def response_post_save_add(self, request, obj):
        return redirect("admin:articles_article_change", obj.article_id)

    def response_post_save_change(self, request, obj):
        return redirect("admin:articles_article_change", obj.article_id)


@admin.register(LiveUpdate)
class LiveUpdateAdmin(OwnPartVersionAdmin):
    """
    Every update, newest first. ``add/`` is the compact post form (the list shows it at
    its top too); ``<id>/change/`` edits one update, refused if someone saved it since.
    """

    list_display = ["published_at", "__str__", "article", "author", "is_key_event", "is_pinned"]
    # What restoring a revision (django-reversion's form) writes back.
    fields = ["headline", "body", "is_key_event", "is_pinned", "published_at", "correction"]
    list_filter = ["is_key_event", "is_pinned"]
    list_select_related = ["article", "author"]
    search_fields = ["headline", "body"]
    change_list_template = "admin/articles/live/change_list.html"
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        visible = article_permissions.viewable(request.user, Article.objects.all())
        return queryset.filter(article__in=visible.values("pk"))

    def coverage(self, update):
        return services.coverage_of(update.article_id)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request) or request.user.has_perm(
                "articles.view_liveupdate"
            )
        return permissions.can_view(request.user, obj, self.coverage(obj)) or (
            self.has_change_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("articles.change_liveupdate")
        return permissions.can_change(request.user, obj, self.coverage(obj))

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("articles.delete_liveupdate")
        return permissions.can_delete(request.user, obj, self.coverage(obj))

    def changelist_view(self, request, extra_context=None):
        articles = postable_articles(request.user)
        form = PostForm(prefix=POST_PREFIX, articles=articles) if articles.exists() else None
        context = {"post_form": form, **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def add_view(self, request, form_url="", extra_context=None):
        """Post one update: from the article's page, or from the list. Back where it came from."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        articles = postable_articles(request.user)
        if request.method != "POST":
            initial = {"article": request.GET.get("article")}
            form = PostForm(prefix=POST_PREFIX, articles=articles, initial=initial)
            return self.render_post(request, form)
        form = PostForm(request.POST, prefix=POST_PREFIX, articles=articles)
        if form.is_valid():
            article = form.cleaned_data["article"]
            try:
                update = services.post_update(
                    article,
                    request.user,
                    form.cleaned_data["body"],
                    quotes=form.quote_rows(),
                    headline=form.cleaned_data["headline"],
                    is_key_event=form.cleaned_data["is_key_event"],
                    is_pinned=form.cleaned_data["is_pinned"],
                )
            except PermissionDenied as refusal:
                form.add_error("article", str(refusal))
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                self.message_user(
                    request,
                    gettext("Update posted at %(time)s.")
                    % {"time": f"{timezone.localtime(update.published_at):%H:%M}"},
                )
                fallback = reverse("admin:articles_article_change", args=[article.pk])
                return HttpResponseRedirect(back_to(request, fallback))
        return self.render_post(request, form)

    def render_post(self, request, form):
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Post a live update"),
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "next": back_to(request, ""),
        }
        return TemplateResponse(request, "admin/articles/live/post_update.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Edit one update; a save based on an older version of it is refused, text kept."""
        update = self.get_object(request, unquote(object_id))
        if update is None:
            raise Http404(gettext("No such update."))
        if not self.has_view_permission(request, update):
            raise PermissionDenied
        may_change = self.has_change_permission(request, update)
        prefix = request.POST.get("_prefix") or None
        if request.method == "POST" and may_change:
            form = EditForm(request.POST, instance=update, prefix=prefix)
            if form.is_valid():
                try:
                    services.edit_update(
                        update,
                        request.user,
                        form.cleaned_data["base_version"],
                        form.cleaned_data["body"],
                        quotes=form.quote_rows(),
                        **{
                            name: form.cleaned_data[name]
                            for name in (
                                "headline",
                                "is_key_event",
                                "is_pinned",
                                "correction",
                                "published_at",
                            )
                        },
                    )
                except PermissionDenied:
                    raise
                except ValidationError as problem:
                    form.add_error(None, problem)
                else:
                    self.message_user(request, gettext("Update saved."))
                    fallback = reverse("admin:articles_article_change", args=[update.article_id])
                    return HttpResponseRedirect(back_to(request, fallback))
        elif request.method == "POST":
            raise PermissionDenied
        else:
            form = EditForm(instance=update)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Edit a live update"),
            "opts": self.opts,
            "original": update,
            "form": form,
            "may_change": may_change,
            "media": self.media + form.media,
            "next": back_to(request, ""),
            "history_url": reverse("admin:articles_liveupdate_history", args=[update.pk]),
        }
        return TemplateResponse(request, "admin/articles/live/edit_update.html", context)

    def response_delete(self, request, obj_display, obj_id):
        messages.success(request, gettext("Update deleted."))
        return HttpResponseRedirect(
            back_to(request, reverse("admin:articles_liveupdate_changelist"))
        )
