"""Sitemaps for crawlers, and a Google News sitemap of the last two days."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.live.models import LiveCoverage
from articles.models import Article, Event, Person
from articles.querysets import listed_tags, public_tags

NEWS_WINDOW = datetime.timedelta(days=2)


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return (
            Article.objects.published(language=None)
            .only("id", "slug", "publication_date", "published_at", "updated_at", "language")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class TagSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return public_tags().order_by("slug")

    def location(self, item):
        return reverse("articles:tag", args=[item.slug])


class EventSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Event.objects.public().order_by("slug")


class PersonSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Person.objects.public().order_by("slug")


class StaticSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return [
            "articles:home",
            "articles:article_list",
            "articles:event_list",
            "articles:tag_list",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "events": EventSitemap,
    "people": PersonSitemap,
}


def news_articles():
    """
    What the Google News sitemap lists: articles published in the last two days, and
    articles covered live right now, however long ago they were first published.
    """
    since = timezone.now() - NEWS_WINDOW
    return listed_tags(
        Article.objects.published(language=None)
        .filter(Q(published_at__gte=since) | Q(live__state=LiveCoverage.State.LIVE))
        .only("id", "title", "slug", "publication_date", "published_at", "language")[:1000]
    )
