"""
Who has an article's form open, from the heartbeat each open form sends.

Kept in the cache rather than the database: a heartbeat every few seconds from every
open form is a write the database need not carry, nothing of it must outlive a minute,
and the cache is the one store every worker already shares (Redis, or files on a single
machine). Each article has one entry, mapping each person to when they opened the form
and when it last said it was open. Two heartbeats at the same instant can lose one of
the two writes; the next heartbeat of the one lost, well inside the window, puts it
back. A cache that cannot be reached shows nobody: presence is a courtesy, and the
stale-save check still guards every save.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from articles.invalidation import CACHE_ERRORS

logger = logging.getLogger(__name__)


def cache_key(article_id):
    return f"desk:presence:{article_id}"


def beat(article_id, user):
    """Note that ``user`` has the article open; returns the others who have, as for ``shown``."""
    now = time.time()
    window = settings.DESK_PRESENCE_SECONDS
    try:
        seen = cache.get(cache_key(article_id)) or {}
        seen = {pk: entry for pk, entry in seen.items() if now - entry["seen"] < window}
        since = seen[user.pk]["since"] if user.pk in seen else now
        seen[user.pk] = {"name": user.get_full_name() or user.get_username(), "since": since}
        seen[user.pk]["seen"] = now
        cache.set(cache_key(article_id), seen, window)
    except CACHE_ERRORS as error:
        logger.warning("Who has article %s open is unknown: %s", article_id, error)
        return []
    return shown(seen, user)


def shown(seen, user):
    """The others in ``seen``, earliest first: [{"name": "Edna Editor", "since": "14:02"}]."""
    others = sorted((e for pk, e in seen.items() if pk != user.pk), key=lambda e: e["since"])
    return [
        {
            "name": entry["name"],
            "since": timezone.localtime(
                datetime.datetime.fromtimestamp(entry["since"], tz=datetime.UTC)
            ).strftime("%H:%M"),
        }
        for entry in others
    ]
