from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from taggit.models import Tag

from articles import feeds, views
from articles.live import feeds as live_feeds
from articles.live import views as live_views
from articles.models import Event, Person
from articles.planning import calendars
from articles.sitemaps import SITEMAPS


class TagListConverter:
    """One or more tag slugs joined by ``+``: ``ukraine+sanctions``."""

    regex = r"[-\w]+(?:\+[-\w]+)*"

    def to_python(self, value):
        return value.split("+")

    def to_url(self, value):
        return value if isinstance(value, str) else "+".join(value)


class WordSlugConverter:
    """A slug that may hold non-ASCII letters, as taggit makes for “Zürich”."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TagListConverter, "tags")
register_converter(WordSlugConverter, "wslug")

follow_tag_renames = views.follow_renames(Tag, "tag")
follow_event_renames = views.follow_renames(Event, "event")
follow_person_renames = views.follow_renames(Person, "person")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path(
        "articles/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article",
    ),
    # A live article's newest updates, fetched by its page's script; and their feed.
    path(
        "articles/<int:year>/<int:month>/<int:day>/<slug:slug>/updates/",
        live_views.updates_fragment,
        name="live_updates",
    ),
    path(
        "articles/<int:year>/<int:month>/<int:day>/<slug:slug>/updates/feed/",
        live_feeds.LiveUpdatesFeed(),
        name="live_feed",
    ),
    path("tags/", views.TagIndexView.as_view(), name="tag_list"),
    path("tags/<wslug:slug>/feed/", follow_tag_renames(feeds.TagFeed()), name="tag_feed"),
    path(
        "tags/<wslug:slug>/events.ics",
        follow_tag_renames(calendars.tag_events_calendar),
        name="tag_events_calendar",
    ),
    path("tags/<tags:slugs>/", views.TagView.as_view(), name="tag"),
    path("events/", views.EventIndexView.as_view(), name="event_list"),
    # No slug holds a dot, so no event's page can be taken for this address.
    path("events/calendar.ics", calendars.events_calendar, name="events_calendar"),
    path(
        "events/<slug:slug>/", follow_event_renames(views.EventDetailView.as_view()), name="event"
    ),
    path("events/<slug:slug>/feed/", follow_event_renames(feeds.EventFeed()), name="event_feed"),
    path(
        "events/<slug:slug>/calendar.ics",
        follow_event_renames(calendars.event_calendar),
        name="event_calendar",
    ),
    path(
        "people/<slug:slug>/",
        follow_person_renames(views.PersonDetailView.as_view()),
        name="person",
    ),
    path("share/<str:token>/", views.shared_preview, name="share"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="latest_feed"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
