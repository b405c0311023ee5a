"""
Whole public pages cached for anonymous readers, and never stale.

Every cached page is keyed by the current *content generation*, a token kept in the
shared cache. Any change to what readers can see (an article, quote, tag, person,
event, link, correction...) replaces the token once the change is committed, so the
next request from any worker process renders afresh. Pages live at most
PAGE_CACHE_SECONDS, which is how soon a scheduled article appears without any edit.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

GENERATION_KEY = "newsroom:content-generation"
UNCACHED_PREFIXES = ("/share/", "/static/", "/media/")


def generation():
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def remember(name, compute):
    """
    The value of ``compute()``, kept until the content changes, and no longer than a
    page is: for aggregates over the whole archive (the busiest tags, a list's count)
    that every page view would otherwise compute again. A scheduled article coming due
    changes no content, so these must not outlive PAGE_CACHE_SECONDS either.
    """
    key = f"newsroom:value:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def remembered(queryset):
    """The rows of ``queryset`` as a list, kept until the content changes."""
    try:
        sql = str(queryset.query)
    except EmptyResultSet:
        return []
    digest = hashlib.sha256(sql.encode()).hexdigest()
    return remember(f"rows:{digest}", lambda: list(queryset))


class CachedCountPaginator(Paginator):
    """
    A paginator that counts each list once per content generation, and stops counting
    at COUNT_LIMIT: “1000+ articles” serves a reader as well as the exact number, and
    a tag on sixty thousand articles then costs no more to count than a small one.
    """

    COUNT_LIMIT = 1000

    @cached_property
    def count(self):
        try:
            sql = str(self.object_list.query)
        except EmptyResultSet:
            return 0  # a queryset that can match nothing, such as .none()
        digest = hashlib.sha256(sql.encode()).hexdigest()
        limited = self.object_list.order_by()[
            : self.COUNT_LIMIT
        ]  # order does not matter to a count
        return remember(f"count:{digest}", limited.count)

    @cached_property
    def count_is_limited(self):
        return self.count >= self.COUNT_LIMIT


def content_changed(*args, **kwargs):
    """Signal receiver: once the transaction commits, every cached page is out of date."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None))


def page_key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"newsroom:page:{generation()}:{request.get_host()}:{path}"


class PublicPageCacheMiddleware:
    """Serves and stores whole public pages for readers who are not logged in."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = (f"/{settings.ADMIN_URL}", *UNCACHED_PREFIXES)

    def __call__(self, request):
        if not self.is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        if (stored := cache.get(key)) is not None:
            response = HttpResponse(stored["content"], status=stored["status"])
            for header, value in stored["headers"]:
                response[header] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.is_cacheable_response(response):
            headers = [(h, v) for h, v in response.items() if h.lower() != "set-cookie"]
            stored = {
                "content": response.content,
                "status": response.status_code,
                "headers": headers,
            }
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response

    def is_cacheable_request(self, request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES  # staff see live pages
            and "Authorization" not in request.headers  # API clients with a token
            and not request.path.startswith(self.skipped)
        )

    @staticmethod
    def is_cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not response.cookies
        )


class RevalidateMiddleware:
    """Public pages may be kept by browsers, but must be checked (ETag) before reuse."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response
