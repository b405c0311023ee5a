"""The embeds in the admin: what each is, which articles show it, and a refresh."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.embeds import providers
from articles.embeds.models import Embed


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    """
    Embeds are recorded when a body first shows their address (``::: embed …``), never
    added here. An editor can correct the title and author (typed in when the provider
    could not be asked) or ask the provider again; articles showing it follow at once.
    """

    list_display = [
        "preview",
        "title",
        "provider",
        "link",
        "article_count",
        "fetched_at",
        "fetch_problem",
    ]
    list_filter = ["provider"]
    search_fields = ["url", "title", "author_name"]
    fields = [
        "preview", "link", "provider", "title", "author_name", "author_url", "frame_url",
        "fetched_at", "fetch_problem", "shown_in",
    ]  # fmt: skip
    readonly_fields = [
        "preview", "link", "provider", "author_url", "frame_url", "fetched_at", "fetch_problem",
        "shown_in",
    ]  # fmt: skip
    actions = ["refresh_selected"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("thumbnail"))
    def preview(self, obj):
        item = obj.item()["thumbnail"]
        if not item:
            return ""
        return format_html(
            '<img src="{}" alt="" width="80" height="{}" loading="lazy">',
            item["src"],
            round(80 * item["height"] / item["width"]),
        )

    @admin.display(description=_("address"), ordering="url")
    def link(self, obj):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    def get_object(self, request, object_id, from_field=None):
        embed = super().get_object(request, object_id, from_field)
        if embed is not None:
            embed.viewer = request.user  # “shown in” names only the articles they may open
        return embed

    @admin.display(description=_("shown in"))
    def shown_in(self, obj):
        articles = list(obj.articles.only("pk", "title")[:50])
        if not articles:
            return gettext("No article shows it now.")
        visible = set(
            permissions.viewable(obj.viewer, obj.articles.all()).values_list("pk", flat=True)
        )
        hidden = len([a for a in articles if a.pk not in visible])
        return format_html(
            "<ul>{}{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                (
                    (reverse("admin:articles_article_change", args=[a.pk]), a.title)
                    for a in articles
                    if a.pk in visible
                ),
            ),
            format_html(
                "<li>{}</li>",
                ngettext(
                    "%(count)s unpublished article(s) of other writers",
                    "%(count)s unpublished article(s) of other writers",
                    hidden,
                )
                % {"count": hidden},
            )
            if hidden
            else "",
        )

    @admin.action(
        description=_("Ask the providers again (title, author, thumbnail)"), permissions=["change"]
    )
    def refresh_selected(self, request, queryset):
        for embed in queryset[:20]:
            try:
                problem = embed.refresh()
            except providers.UnknownEmbed as refused:
                problem = str(refused)
            if problem:
                self.message_user(request, f"{embed.url}: {problem}", messages.WARNING)
            else:
                self.message_user(
                    request,
                    gettext("%(url)s: described again.") % {"url": embed.url},
                    messages.SUCCESS,
                )
