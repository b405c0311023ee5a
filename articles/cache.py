"""
Whole public pages cached for anonymous readers, and never stale.

A cached page is served only while nothing it shows has changed since it was rendered:
each page names what it shows with surrogate keys, and every committed change renews the
keys it touches (see ``articles.invalidation``), whichever worker process made it. Pages
also live at most PAGE_CACHE_SECONDS, which is how soon a scheduled article appears
without any edit. The same keys go out in a ``Surrogate-Key`` header, so that a CDN in
front of the site can keep the pages too and drop exactly the ones an edit touches.
"""

import contextlib
import contextvars
import datetime
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.csp import CSP
from django.utils.functional import cached_property

from articles.invalidation import (
    ARTICLES,
    CACHE_ERRORS,  # what an unreachable cache raises: pages are then rendered live
    VOCABULARY,
    CacheUnavailable,
    back_off,
    ensure_versions,
    get_with_latest_change,
    send_pending,
    versions,
)

# Files, served further down (static files by whitenoise): nothing that serves them reads
# the cache, so they pass straight through.
FILE_PREFIXES = ("/static/", "/media/")
UNCACHED_PREFIXES = ("/share/", *FILE_PREFIXES)
# A reader's conditional request for a page that may be cached is answered here, from the
# page's ETag, so that the page is always rendered (and stored) whole.
CONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# Kept on a 304, as they would be on the page (the policy middleware runs below this one).
# Header names as plain strings: a WSGI server may refuse anything else (wsgiref does).
KEPT_ON_304 = (str(CSP.HEADER_ENFORCE), str(CSP.HEADER_REPORT_ONLY), "X-Cache")
# Set for the request being answered once the cache has failed it: the rest of the page is
# rendered without asking again, so that a cache that is down costs a reader one timeout
# at most, not one for every list on the page.
cache_failed = contextvars.ContextVar("cache_failed", default=None)

logger = logging.getLogger(__name__)


def content_version():
    """A token that changes whenever any list of articles, or any name, may have changed."""
    keys = [ARTICLES, VOCABULARY]
    found = versions(keys)
    if len(found) < len(keys):
        ensure_versions(keys, time.time())
        found = versions(keys)
    return ":".join(str(found.get(key)) for key in keys)


def remember(name, compute):
    """
    The value of ``compute()``, kept until the content changes, and no longer than a
    page is: for aggregates over the whole archive (the busiest tags, a list's count)
    that every page view would otherwise compute again. A scheduled article coming due
    changes no content, so these must not outlive PAGE_CACHE_SECONDS either (and with
    the page cache off, nothing is kept).
    """
    failed = cache_failed.get()
    if settings.PAGE_CACHE_SECONDS <= 0 or failed:
        return compute()
    try:
        key = f"newsroom:value:{content_version()}:{name}"
        value = cache.get(key)
    except CACHE_ERRORS:
        if failed is not None:
            failed.append(name)
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(CACHE_ERRORS):
            cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def query_digest(queryset):
    """
    A name for ``queryset``'s query. The rule of publication puts the current time in
    every query; it is counted in steps of PAGE_CACHE_SECONDS, so that the same query
    has the same name for as long as a page may be kept (and an article that comes due
    meanwhile is counted, like a page, within that time).
    """
    sql, params = queryset.query.sql_with_params()
    step = max(settings.PAGE_CACHE_SECONDS, 1)
    return hashlib.sha256(repr((sql, [_in_steps(p, step) for p in params])).encode()).hexdigest()


def _in_steps(param, step):
    """A time as its step number: a datetime, or as SQLite's backend passes it, a string."""
    if isinstance(param, str) and TIMESTAMP.match(param):
        param = datetime.datetime.fromisoformat(param)
    if isinstance(param, datetime.datetime):
        return int(param.timestamp() // step)
    return param


TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2})?$")


def remembered(queryset):
    """The rows of ``queryset`` as a list, kept until the content changes."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return list(queryset)
    try:
        digest = query_digest(queryset)
    except EmptyResultSet:
        return []
    return remember(f"rows:{digest}", lambda: list(queryset))


class CappedCountPaginator(Paginator):
    """
    A paginator that stops counting at COUNT_LIMIT: “1000+ articles” serves a reader as
    well as the exact number, and a tag on sixty thousand articles then costs no more to
    count than a small one.
    """

    COUNT_LIMIT = 1000

    def capped_count(self):
        # Neither the order nor the annotations (a search's ranking) change the count.
        return self.object_list.order_by().values("pk")[: self.COUNT_LIMIT].count()

    @cached_property
    def count(self):
        return self.capped_count()

    @cached_property
    def count_is_limited(self):
        return self.count >= self.COUNT_LIMIT


class CachedCountPaginator(CappedCountPaginator):
    """A capped count, kept until the content readers see changes."""

    @cached_property
    def count(self):
        if settings.PAGE_CACHE_SECONDS <= 0:
            return self.capped_count()
        try:
            digest = query_digest(self.object_list)
        except EmptyResultSet:
            return 0  # a queryset that can match nothing, such as .none()
        return remember(f"count:{digest}", self.capped_count)


# Changes whenever what is stored for a page changes, so that the workers of an older
# release, still running during a deployment, never read what they cannot use.
PAGE_FORMAT = 2


def page_key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"newsroom:page:{PAGE_FORMAT}:{request.get_host()}:{path}"


def is_fresh(stored, token):
    """
    Whether nothing the stored page shows has changed since its rendering began, given
    the latest-change token read with it.
    """
    if token == stored["latest_change"]:
        return True  # nothing at all has changed since
    found = versions(stored["keys"])
    return len(found) == len(stored["keys"]) and all(
        renewed < stored["started"] for renewed in found.values()
    )


def shared_cache_control(response):
    """Browsers revalidate every time; a CDN keeps the page a little, and is purged on edits."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        must_revalidate=True,
        s_maxage=settings.CDN_MAX_AGE,
        stale_while_revalidate=settings.CDN_STALE_SECONDS,
    )


class PublicPageCacheMiddleware:
    """
    Serves and stores whole public pages for readers who are not logged in.

    It sits above the middleware that adds the content security policy and the ETag, so
    that a page is stored with every header it is sent with, and a page read from the
    cache is sent as it is: a hit costs one reading of the cache and about as much work
    as serving a static file. What the middleware above it adds (the request id, CORS and
    the security headers) depends on the request, and is added to hits and misses alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = (f"/{settings.ADMIN_URL}", *UNCACHED_PREFIXES)
        self.conditional_get = ConditionalGetMiddleware(get_response)

    def __call__(self, request):
        if request.path.startswith(FILE_PREFIXES):
            return self.get_response(request)
        failed = []  # the cache's failures while answering this request
        reset = cache_failed.set(failed)
        try:
            return self.answer(request, failed)
        finally:
            cache_failed.reset(reset)

    def answer(self, request, failed):
        try:
            # Renewals the cache missed go first: until they are sent, pages (and counts)
            # the cache kept may show what an edit has since changed.
            send_pending()
        except CacheUnavailable as error:
            logger.info("Page cache not asked: %s", error)
            failed.append("pending renewals")
        except CACHE_ERRORS:
            logger.warning("Cache unreachable; pending renewals not sent", exc_info=True)
            failed.append("pending renewals")
        if not self.is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        # A page read from a replica may show it as it was a moment ago: count it older.
        started = time.time() - settings.DATABASE_REPLICA_MAX_LAG
        token = None  # None: the page is not stored
        if settings.PAGE_CACHE_SECONDS > 0 and not failed:
            try:
                stored, token = get_with_latest_change(key)
                if stored is not None and is_fresh(stored, token):
                    return self.replay(request, stored["page"])
            except CACHE_ERRORS:
                back_off()
                logger.warning(
                    "Page cache unreachable; serving %s live", request.path, exc_info=True
                )
                failed.append("page")
        request.surrogate_keys = set()
        # Rendered whole whatever the reader already has, so that it can be stored; the
        # reader's conditions (If-None-Match...) are then answered from its ETag.
        conditions = {name: request.META.pop(name) for name in CONDITIONS if name in request.META}
        try:
            response = self.get_response(request)
        finally:
            request.META.update(conditions)
        if self.is_cacheable_response(response):
            keys = {*(request.surrogate_keys or {ARTICLES}), VOCABULARY}
            response["Surrogate-Key"] = " ".join(sorted(keys))
            shared_cache_control(response)
            if not response.has_header("ETag"):
                set_response_etag(response)  # a HEAD request's page, which has none yet
            if token is not None and not failed:
                try:
                    self.store(key, response, keys, started, token)
                except CACHE_ERRORS:
                    logger.warning("Page cache unreachable; %s not stored", request.path)
            response["X-Cache"] = "miss"
        return self.conditional(request, response) if conditions else response

    def replay(self, request, page):
        """The stored page, as it is (each reading of the cache gives a copy of its own)."""
        if any(name in request.META for name in CONDITIONS):
            return self.conditional(request, page)
        return page

    def conditional(self, request, response):
        """The answer to a conditional request, as ConditionalGetMiddleware gives it."""
        answer = self.conditional_get.process_response(request, response)
        if answer is not response:
            for header in KEPT_ON_304:
                if header in response:
                    answer[header] = response[header]
        return answer

    @staticmethod
    def store(key, response, keys, started, token):
        found = versions(keys)
        if missing := keys - found.keys():
            ensure_versions(missing, started)
        if missing or any(renewed >= started for renewed in found.values()):
            token = None  # versions given or renewed since the start: the next reading compares
        headers = {h: v for h, v in response.items() if h.lower() != "set-cookie"}
        # A copy of the response as readers get it from the cache, ready to send.
        page = HttpResponse(
            response.content,
            status=response.status_code,
            headers={**headers, "X-Cache": "hit"},
        )
        stored = {
            "page": page,
            "keys": sorted(keys),
            "started": started,
            "latest_change": token,
        }
        cache.set(key, stored, settings.PAGE_CACHE_SECONDS)

    def is_cacheable_request(self, request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES  # staff see live pages
            and "HTTP_AUTHORIZATION" not in request.META  # API clients with a token
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
