"""What readers see of live coverage: the updates as the article's page shows them."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch

from articles.live.models import LiveCoverage, LiveUpdate
from articles.models import Quote

# The polling fragment carries this many of the newest updates: a reader who missed more
# is told to reload.
POLLED_UPDATES = 30


@dataclass
class Live:
    """A live article's coverage and updates, newest first, as its page shows them."""

    coverage: LiveCoverage
    updates: list
    pinned: LiveUpdate | None = None
    key_events: list = field(default_factory=list)
    # Seconds between two polls of a reader's page (LIVE_POLL_SECONDS): a new update
    # reaches them within this, and the page cache answers nearly every poll with a 304.
    poll_seconds: int = field(default_factory=lambda: settings.LIVE_POLL_SECONDS)

    @property
    def latest(self):
        return self.updates[0] if self.updates else None


def updates_of(article, limit=None):
    """``article``'s updates, newest first, with their authors and quotes (3 queries);
    each knows its article without asking (for its address)."""
    updates = (
        LiveUpdate.objects.filter(article=article.pk)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "quotes", queryset=Quote.objects.select_related("speaker").order_by("position")
            )
        )
    )
    updates = list(updates[:limit] if limit else updates)
    for update in updates:
        update.article = article
    return updates


def coverage_of(article):
    """``article``'s coverage (read with it by ``select_related("live")``), or None."""
    try:
        return article.live
    except LiveCoverage.DoesNotExist:
        return None


def live_of(article, limit=None):
    """The Live of ``article``, or None if it is not covered live."""
    coverage = coverage_of(article)
    if coverage is None:
        return None
    updates = updates_of(article, limit)
    return Live(
        coverage,
        updates,
        pinned=next((update for update in updates if update.is_pinned), None),
        key_events=[update for update in updates if update.is_key_event],
    )
