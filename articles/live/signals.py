"""What a change to live coverage renews: stored page parts and cached pages."""

from django.db.models.signals import post_delete, post_save

from articles import fragments, invalidation
from articles.live.models import LiveCoverage, LiveUpdate


def update_changed(sender, instance, **kwargs):
    """An update posted, edited or deleted: the live page alone (see live_changed)."""
    fragments.stale(pk=instance.article_id)
    invalidation.live_changed(instance.article_id)


def coverage_changed(sender, instance, **kwargs):
    """
    Made live, closed or summarised: lists show the article as live, and its events'
    pages say “live now”, so this renews everything the article shows on.
    """
    fragments.stale(pk=instance.article_id)
    invalidation.article_changed(instance.article_id)


for name, signal in {"save": post_save, "delete": post_delete}.items():
    signal.connect(update_changed, sender=LiveUpdate, dispatch_uid=f"live-update-{name}")
    signal.connect(coverage_changed, sender=LiveCoverage, dispatch_uid=f"live-coverage-{name}")
