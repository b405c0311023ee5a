"""
What each public page shows, named by *surrogate keys*, and which keys a change renews.

A page names the things on it: ``article-12`` for an article, ``tag-3``, ``event-7`` and
``person-9`` for a tag, event or speaker together with the articles filed under it, and
two broad keys: ``articles`` (every list of the latest articles: the front page, search,
feeds, sitemaps...) and ``vocabulary`` (tag, person and event names and descriptions,
which appear on every page and change rarely).

A change to an article that readers can see, or could see before the change, renews its
own key, ``articles``, and the keys of its tags, events and speakers. A draft's edits renew
only its own key, so writers at work never empty the readers' cache. A change to a tag,
person or event renews its key and ``vocabulary``.

Each key's version is the time it was last renewed, kept in the shared cache. A cached
page records when its rendering began and is served only while every key on it is older
than that, so an edit committed while a page was being rendered can never be hidden by it.
Renewals wait for the transaction to commit, and also go to the CDN purge hook
(``CDN_PURGE_HANDLER``) so that a CDN holding the same pages drops exactly these.

Most reads happen while nothing at all has changed since the page was rendered: a token
renewed with every change (written after the keys) says so in one cache read, and only
when it differs are the page's own keys compared.

A renewal that cannot reach the cache (Redis down or restarting) is not forgotten: its
keys wait in a file that every worker on this machine reads (``PENDING_RENEWALS_FILE``),
and the page cache sends them before it serves or stores anything (``send_pending``), so
that pages the cache kept through the outage are never served as if nothing had changed.
"""

import contextlib
import fcntl
import logging
import os
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

ARTICLES = "articles"
VOCABULARY = "vocabulary"
VERSION_PREFIX = "newsroom:key:"
LATEST_CHANGE = "newsroom:latest-change"


class CacheUnavailable(Exception):
    """The cache failed this process a moment ago, or another worker is sending the
    pending renewals right now: pages are rendered live meanwhile."""


# What an unreachable cache raises (and ``send_pending`` when the cache is not to be asked).
CACHE_ERRORS = (OSError, RedisError, CacheUnavailable)
# Past this many keys waiting, renewing the two broad ones is cheaper, and as sure: every
# page names ``vocabulary``.
PENDING_KEYS_LIMIT = 1000

logger = logging.getLogger(__name__)


def key_for(obj):
    """The surrogate key naming one article, tag, event or person."""
    return f"{KEY_NAMES[type(obj).__name__]}-{obj.pk}"


KEY_NAMES = {"Article": "article", "Tag": "tag", "Event": "event", "Person": "person"}


def article_keys(article):
    """An article page's keys, from the article's prefetched tags, event links and quotes."""
    return {
        key_for(article),
        *(key_for(tag) for tag in article.tags.all()),
        *(f"event-{link.event_id}" for link in article.event_links.all()),
        *(f"person-{quote.speaker_id}" for quote in article.quotes.all()),
    }


def show(request, *keys):
    """Say that the page being rendered for ``request`` shows what ``keys`` name."""
    found = getattr(request, "surrogate_keys", None)
    if found is not None:
        found.update(keys)


# Versions ------------------------------------------------------------------------------


def versions(keys):
    """The time each of ``keys`` was last renewed; a key never renewed (or evicted) is absent."""
    found = cache.get_many([VERSION_PREFIX + key for key in keys])
    return {key.removeprefix(VERSION_PREFIX): value for key, value in found.items()}


def ensure_versions(keys, at):
    """
    Give keys that have no version one, as of ``at``. A page rendered from ``at`` on is
    then out of date at once, which costs one more rendering after an eviction but never
    lets a lost version pass for an old one.
    """
    for key in keys:
        cache.add(VERSION_PREFIX + key, at, timeout=None)


def latest_change():
    """A token that is replaced whenever anything is renewed."""
    return cache.get_or_set(LATEST_CHANGE, lambda: uuid.uuid4().hex, timeout=None)


def get_with_latest_change(key):
    """The value kept at ``key`` (or None) and the latest-change token, read together: one
    round trip to Redis, for the page cache's every reading."""
    found = cache.get_many([key, LATEST_CHANGE])
    token = found.get(LATEST_CHANGE)
    if token is None:
        token = latest_change()
    return found.get(key), token


def renew(keys):
    """Mark ``keys`` changed now, here and at the CDN."""
    if not keys:
        return
    try:
        renew_in_cache(keys)
    except CACHE_ERRORS:
        # The edit is committed: keep its keys until the cache can be told.
        logger.warning("Cache unreachable; renewal of %s kept to send later", sorted(keys))
        keep_pending(keys)
    try:
        import_string(settings.CDN_PURGE_HANDLER)(sorted(keys))
    except Exception:
        # A CDN that cannot be reached must not undo an editor's committed save;
        # its pages then expire by themselves (s-maxage).
        logger.exception("CDN purge failed for %s", sorted(keys))


def renew_in_cache(keys):
    now = time.time()
    cache.set_many({VERSION_PREFIX + key: now for key in keys}, timeout=None)
    # After the keys: a reader who finds the token unchanged finds no key renewed either.
    cache.set(LATEST_CHANGE, uuid.uuid4().hex, timeout=None)


def no_purge(keys):
    """The default CDN purge handler: there is no CDN to tell."""


# Renewals the cache missed -----------------------------------------------------------------


# After the cache fails, this process does not ask it again for this long: a cache that is
# down or hung costs a request one short timeout at most, and most requests none.
RETRY_AFTER_FAILURE = 1.0
retry_at = 0.0


def back_off():
    """Note that the cache has just failed this process."""
    global retry_at
    retry_at = time.monotonic() + RETRY_AFTER_FAILURE


def keep_pending(keys):
    """Keep ``keys`` in the pending file, one a line, for the next worker to reach the cache."""
    try:
        with pending_file("a") as file:
            file.write("".join(f"{key}\n" for key in keys))
    except OSError:
        # The other workers cannot learn of this renewal: every page counts as changed once
        # this process reaches the cache again, which it tries before its next page.
        logger.exception(
            "Could not keep the pending renewal of %s; every page will be renewed", sorted(keys)
        )
        unsent.update({*keys, ARTICLES, VOCABULARY})


unsent = set()  # pending renewals that could not be written to the file


def send_pending():
    """
    Send the renewals that earlier failed to reach the cache, before the cache is read.
    Raises the cache's error if it still cannot be reached (or ``CacheUnavailable``): the
    caller must then neither serve nor store a page from it. Costs one ``stat`` while
    nothing is pending. Never waits for another worker, nor holds up one: the file is
    locked only to read it and to remove what was sent, not while the cache is asked.
    """
    if time.monotonic() < retry_at:
        raise CacheUnavailable("the cache failed a moment ago")
    try:
        if unsent:
            keys = set(unsent)
            renew_in_cache(keys)
            unsent.difference_update(keys)
        send_kept()
    except CacheUnavailable:
        raise
    except CACHE_ERRORS:
        back_off()
        raise


def send_kept():
    path = settings.PENDING_RENEWALS_FILE
    try:
        if os.stat(path).st_size == 0:
            return
        turn = open(f"{path}.sending", "a")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        return
    except OSError as error:
        return file_failed(path, error)
    with turn:
        # One worker sends at a time, so that it alone removes lines from the file;
        # the others render live meanwhile (usually a millisecond).
        try:
            fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CacheUnavailable("another worker is sending the pending renewals") from None
        try:
            with pending_file("r") as file:
                taken = file.read()
        except OSError as error:
            return file_failed(path, error)
        keys = {line.strip() for line in taken.splitlines() if line.strip()}
        if keys:
            if len(keys) > PENDING_KEYS_LIMIT:
                keys = {ARTICLES, VOCABULARY}
            renew_in_cache(keys)
            logger.warning("Sent %d renewals the cache had missed", len(keys))
        # Remove what was sent, and only that: keys kept meanwhile were appended after it.
        # Emptied, never deleted: a worker waiting for the lock to add keys must find the
        # same file.
        try:
            with pending_file("r+") as file:
                kept = file.read()
                if kept.startswith(taken):
                    file.seek(0)
                    file.write(kept[len(taken) :])
                    file.truncate()
        except OSError as error:
            return file_failed(path, error)


unreadable = None  # how the pending file looked when it could last not be read


def file_failed(path, error):
    """
    The pending file cannot be read (or emptied): whatever waits in it is unknown, so every
    page is renewed, once for each change to the file, and the page cache carries on.
    """
    global unreadable
    try:
        found = os.stat(path)
        looks = (found.st_ino, found.st_size, found.st_mtime_ns)
    except OSError:
        looks = "unknown"
    if looks != unreadable:
        logger.error(
            "Cannot use the pending renewals file %s (%s); renewing every page instead",
            path,
            error,
        )
        renew_in_cache({ARTICLES, VOCABULARY})
        unreadable = looks


@contextlib.contextmanager
def pending_file(mode):
    path = settings.PENDING_RENEWALS_FILE
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, mode, encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield file
        finally:
            file.flush()
            fcntl.flock(file, fcntl.LOCK_UN)


# Changes, gathered per transaction --------------------------------------------------------


class Pending(threading.local):
    def __init__(self):
        self.keys = set()
        self.articles = {}  # article id -> keys its change touches if readers can see it
        self.were_public = set()

    def take(self):
        taken = self.keys, self.articles, self.were_public
        self.__init__()
        return taken


pending = Pending()


def article_changed(article_id, *keys, was_public=False):
    """Note a change to an article (or to its quotes, tags, links...), renewed on commit."""
    pending.articles.setdefault(article_id, set()).update(keys)
    if was_public:
        pending.were_public.add(article_id)
    transaction.on_commit(flush, robust=True)


def live_changed(article_id, *keys):
    """
    A live article's updates changed: its own page, and the speakers quoted (``keys``),
    not the lists. An update shows on no list, so the moments when many readers poll a
    live page never empty the front page, the tags and the feeds.
    """
    pending.keys.update({f"article-{article_id}", *keys})
    transaction.on_commit(flush, robust=True)


def pages_changed(*keys):
    """The pages naming ``keys`` changed (and no list did): renewed on commit."""
    pending.keys.update(keys)
    transaction.on_commit(flush, robust=True)


def vocabulary_changed(*keys):
    pending.keys.update({VOCABULARY, *keys})
    transaction.on_commit(flush, robust=True)


def everything_changed():
    """After writes that sent no signals (a restore): every page names ``vocabulary``."""
    vocabulary_changed(ARTICLES)


def flush():
    """
    Renew what the committed changes touched. Runs once per commit (later calls of the
    same commit find nothing); after a rollback, what was noted is renewed with the next
    commit, which errs on the side of freshness. If the cache cannot be reached, the
    committed save stands and the renewal waits for the cache to come back (``renew``).
    """
    keys, articles, were_public = pending.take()
    if articles:
        keys |= keys_of_articles(articles, were_public)
    renew(keys)


def keys_of_articles(articles, were_public):
    from articles.models import Article, ArticleEvent, Quote, TaggedArticle

    public = were_public | set(
        Article.objects.filter(pk__in=articles, status=Article.Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    keys = {f"article-{pk}" for pk in articles}
    if not public:
        return keys  # drafts: no reader has seen them, no list holds them
    keys.add(ARTICLES)
    for pk in public:
        keys |= articles[pk]
    keys.update(
        f"tag-{pk}"
        for pk in TaggedArticle.objects.filter(content_object__in=public).values_list(
            "tag_id", flat=True
        )
    )
    keys.update(
        f"event-{pk}"
        for pk in ArticleEvent.objects.filter(article__in=public).values_list("event_id", flat=True)
    )
    keys.update(
        f"person-{pk}"
        for pk in Quote.objects.filter(article__in=public).values_list("speaker_id", flat=True)
    )
    return keys
