"""
The addresses of articles, tags, events and people, for lists that show a hundred of them.

Each is what ``reverse()`` gives, but reversed once per process (per script prefix and
language: another language's addresses carry its prefix, ``/fr/...``) and remembered: a
list of twenty articles links to each article and to about a hundred tags, and reversing
a URL pattern for every link was a tenth of such a page's time.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation

from articles import languages


def article_url(date, slug, language=None):
    """
    ``/articles/2025/03/18/<slug>/`` for an article of that publication date, in the
    current language or in ``language`` (``/fr/articles/...``).
    """
    return _day_url(get_script_prefix(), language or languages.current(), date) + slug + "/"


def dated_article_url(publication_date, published_at, slug, language=None):
    """
    An article's address: on its publication date, or else the day it is (to be)
    published, or else today (a draft never published).
    """
    date = publication_date or timezone.localdate(published_at or timezone.now())
    return article_url(date, slug, language)


def dated_article_urls():
    """
    ``dated_article_url()`` in the current language, for a list: the script prefix and
    language looked up once rather than for each of its articles.
    """
    prefix, language = get_script_prefix(), languages.current()

    def url(publication_date, published_at, slug):
        date = publication_date or timezone.localdate(published_at or timezone.now())
        return _day_url(prefix, language, date) + slug + "/"

    return url


@functools.lru_cache(maxsize=10_000)
def _day_url(script_prefix, language, date):
    day = {"year": f"{date:%Y}", "month": f"{date:%m}", "day": f"{date:%d}"}
    # Article slugs are ASCII slugs, which an address carries as they are.
    with translation.override(language):
        return reverse("articles:article", kwargs={**day, "slug": "-"}).removesuffix("-/")


def tag_url(slugs, script_prefix=None):
    """``/tags/<slug>/``, or for slugs joined by ``+``, the page of their articles."""
    script_prefix = get_script_prefix() if script_prefix is None else script_prefix
    return _tag_url(script_prefix, languages.current(), slugs)


@functools.lru_cache(maxsize=10_000)
def _tag_url(script_prefix, language, slugs):
    return reverse("articles:tag", args=[slugs])


def event_url(slug):
    """``/events/<slug>/``."""
    return _slug_url(get_script_prefix(), languages.current(), "articles:event", slug)


def person_url(slug):
    """``/people/<slug>/``."""
    return _slug_url(get_script_prefix(), languages.current(), "articles:person", slug)


def tag_feed_url(slug):
    """``/tags/<slug>/feed/``: the feed of a tag's articles."""
    return _slug_url(get_script_prefix(), languages.current(), "articles:tag_feed", slug)


def tag_calendar_url(slug):
    """``/tags/<slug>/events.ics``: the calendar of a tag's events."""
    return _slug_url(get_script_prefix(), languages.current(), "articles:tag_events_calendar", slug)


@functools.lru_cache(maxsize=10_000)
def _slug_url(script_prefix, language, name, slug):
    return reverse(name, kwargs={"slug": slug})


def site_urls():
    """The addresses every page links to (its header and footer), by URL name."""
    return _site_urls(get_script_prefix(), languages.current())


SITE_URL_NAMES = [
    "home", "article_list", "tag_list", "event_list", "corrections", "search", "latest_feed",
]  # fmt: skip


@functools.lru_cache(maxsize=100)
def _site_urls(script_prefix, language):
    return {name: reverse(f"articles:{name}") for name in SITE_URL_NAMES}


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _day_url.cache_clear()
        _tag_url.cache_clear()
        _site_urls.cache_clear()
        _slug_url.cache_clear()
