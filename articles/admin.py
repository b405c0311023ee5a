from django.contrib import admin

from articles.models import Article, ArticleEvent, Correction, Event, Person, Quote


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = [("speaker", "role", "position"), "text"]


class ArticleEventInline(admin.TabularInline):
    model = ArticleEvent
    extra = 0
    autocomplete_fields = ["event"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "updated_at"]
    list_filter = ["status", "published_at", "tags"]
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["authors"]
    inlines = [QuoteInline, ArticleEventInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "tags"]}),
        ("Publication", {"fields": ["status", "published_at", "authors"]}),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "location", "status"]
    list_filter = ["status", "starts_on"]
    search_fields = ["name", "location"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "starts_on"


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "published_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"
