"""
Sitemaps for crawlers, and a Google News sitemap of the last two days.

On a site of several languages each address is listed with its alternates in the other
languages (``<xhtml:link rel="alternate" hreflang>``) and the ``x-default`` a reader of
none of them is sent to: for an article, the public articles of its translation group
(the original is the ``x-default``); for the fixed pages, the page in each language of
the site (the default language's is the ``x-default``); for a tag's, an event's or a
speaker's page, the page in each language it is on a public article of (the default
language's, where it is one of them, is the ``x-default``). A site of one language lists
each address once, without alternates, as before.
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import languages
from articles.live.models import LiveCoverage
from articles.models import Article, Event, Person
from articles.querysets import (
    listed_tags,
    on_public_articles,
    public_in,
    public_tags,
    public_translations,
)

NEWS_WINDOW = datetime.timedelta(days=2)


def public_articles():
    """The public articles of every language of the site."""
    return Article.objects.published(language=None).filter(language__in=languages.codes())


class ArticleSitemap(Sitemap):
    """Every public article of every language, each at its own address."""

    changefreq = "daily"
    limit = 5000

    def items(self):
        return (
            public_articles()
            .only(
                "id", "slug", "publication_date", "published_at", "updated_at", "language",
                "translation_of_id",
            )
            .order_by("-published_at", "-id")
        )  # fmt: skip

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)

    def get_latest_lastmod(self):
        """
        The index's date for this section: the latest of every article's ``lastmod()``,
        asked of the database. Django's default builds every public article to ask each,
        which at 100,000 articles is seconds and a hundred megabytes per request.
        """
        latest = public_articles().aggregate(Max("updated_at"), Max("published_at"))
        return max(filter(None, latest.values()), default=None)

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        if languages.is_multilingual():
            add_translations(urls, f"{protocol}://{domain}")
        return urls


def add_translations(urls, site):
    """
    Each article's alternates: the public articles of its translation group, read for a
    whole page of the sitemap in one query. An article without a public translation has
    none; the group's original, where it is public, is the ``x-default``.
    """
    others = public_translations(
        [url["item"] for url in urls],
        ("id", "slug", "publication_date", "published_at", "language", "translation_of_id"),
    )
    order = {code: place for place, code in enumerate(languages.codes())}
    for url in urls:
        article = url["item"]
        if not others[article.pk]:
            continue
        group = sorted([article, *others[article.pk]], key=lambda a: order[a.language])
        url["alternates"] = [
            {"location": site + member.get_absolute_url(), "lang_code": member.language}
            for member in group
        ]
        url["alternates"] += [
            {"location": site + member.get_absolute_url(), "lang_code": "x-default"}
            for member in group
            if member.translation_of_id is None
        ]


class EachLanguage(Sitemap):
    """
    A page that exists in every language of the site: listed once per language, with
    its alternates and the default language's address as the ``x-default``.
    """

    @property
    def i18n(self):
        return languages.is_multilingual()

    alternates = x_default = i18n


class OnArticles(EachLanguage):
    """
    The page of a tag, an event or a speaker (``model``), which exists in a language
    where it is on a public article of that language: listed in those languages, each
    naming the others. Whether it is on one of the site's first language is asked with
    each item, as readers' pages ask; the others, smaller, are read whole, a query each.
    """

    model = None
    limit = 5000

    def items(self):
        first = languages.default()
        if not self.i18n:
            return self.public(first).order_by("slug")
        codes = languages.codes()
        self.elsewhere = {code: public_in(self.model, code) for code in codes[1:]}
        return (
            self.public(codes)
            .annotate(in_first=on_public_articles(self.model, first))
            .order_by("slug")
        )

    def public(self, language):
        if self.model is Tag:
            return public_tags(language)
        return self.model.objects.public(language)

    def get_languages_for_item(self, item):
        first, *others = languages.codes()
        found = [first] if item.in_first else []
        return found + [code for code in others if item.pk in self.elsewhere[code]]


class TagSitemap(OnArticles):
    model = Tag
    changefreq = "daily"

    def location(self, item):
        return reverse("articles:tag", args=[item.slug])


class EventSitemap(OnArticles):
    model = Event
    changefreq = "weekly"


class PersonSitemap(OnArticles):
    model = Person
    changefreq = "weekly"


class StaticSitemap(EachLanguage):
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
        public_articles()
        .filter(Q(published_at__gte=since) | Q(live__state=LiveCoverage.State.LIVE))
        .only("id", "title", "slug", "publication_date", "published_at", "language")[:1000]
    )
