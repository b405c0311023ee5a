"""
The actions of live coverage, each checked against the roles and done in one
transaction with its revision: making an article live, closing it, and posting,
editing and deleting its updates.

Posting never writes the article's own row, so it raises no edit number: the article's
open forms stay valid and several writers post at once without refusing each other.
An edit of an update is checked against that update's own edit number instead.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from articles import limits
from articles.live import permissions
from articles.live.models import LiveCoverage, LiveUpdate
from articles.markdown import nesting_problem
from articles.models import Quote

# An update is short; the body's own limit would let one run to 15,000 words.
MAX_UPDATE_CHARS = 10_000
MAX_QUOTES_PER_UPDATE = 5
# Quotes said in updates are numbered after the article's own (1, 2, 3…), so that the two
# never claim the same position.
FIRST_UPDATE_QUOTE = 1001


class StaleUpdate(ValidationError):
    """Someone saved the update since the form was opened."""


def coverage_of(article, lock=False):
    """The article's LiveCoverage or None; locked until the transaction ends if ``lock``."""
    found = LiveCoverage.objects.filter(article=article)
    if lock and transaction.get_connection().in_atomic_block:
        found = found.select_for_update()
    return found.first()


def _revision(user, comment):
    if user is not None:
        reversion.set_user(user)
    reversion.set_comment(comment)


@transaction.atomic
def make_live(article, user=None, starts_at=None):
    """
    Cover ``article`` live from now (or ``starts_at``): a draft or a published article.
    Readers see it only once it is published, by the same rule as any article. Live
    already: nothing changes. Closed: coverage opens again, its end cleared.

    ``user``, when given, must be an editor; None is for the newsroom's own code (the
    planning desk, the demo). Returns the LiveCoverage.
    """
    if user is not None and not permissions.can_manage(user):
        raise PermissionDenied(gettext("Only editors can make an article live."))
    coverage = coverage_of(article, lock=True)
    with reversion.create_revision():
        if coverage is None:
            coverage = LiveCoverage(article=article, starts_at=starts_at or timezone.now())
        elif coverage.is_open:
            return coverage
        coverage.state, coverage.ends_at = LiveCoverage.State.LIVE, None
        coverage.save()
        _revision(user, "Made live")
    return coverage


@transaction.atomic
def close(article, user=None, summary=None, ends_at=None):
    """Close ``article``'s live coverage, with its summary (kept if None)."""
    if user is not None and not permissions.can_manage(user):
        raise PermissionDenied(gettext("Only editors can close live coverage."))
    coverage = coverage_of(article, lock=True)
    if coverage is None:
        raise ValidationError(gettext("This article is not covered live."))
    if summary is not None:
        coverage.summary = _checked_text("summary", summary)
    coverage.state = LiveCoverage.State.CLOSED
    coverage.ends_at = max(ends_at or timezone.now(), coverage.starts_at)
    with reversion.create_revision():
        coverage.save()
        _revision(user, "Coverage closed")
    return coverage


def _checked_text(label, text):
    text = (text or "").strip()
    if problem := limits.too_long(label, text, MAX_UPDATE_CHARS):
        raise ValidationError(problem)
    if problem := nesting_problem(text):
        raise ValidationError(problem)
    return text


def _set_quotes(update, quotes, coverage):
    """Replace ``update``'s quotes with ``quotes``: (speaker, role, text) each."""
    if len(quotes) > MAX_QUOTES_PER_UPDATE:
        raise ValidationError(
            gettext("An update may have at most %(limit)s quotes.")
            % {"limit": MAX_QUOTES_PER_UPDATE}
        )
    update.quotes.all().delete()
    taken = Quote.objects.filter(article=update.article_id).order_by("-position").first()
    position = max(taken.position if taken else 0, FIRST_UPDATE_QUOTE - 1)
    for speaker, role, text in quotes:
        if problem := limits.too_long("quote", text, limits.MAX_QUOTE_CHARS):
            raise ValidationError(problem)
        position += 1
        Quote.objects.create(
            article_id=update.article_id,
            update=update,
            speaker=speaker,
            role=role or speaker.role,
            text=text,
            position=position,
        )


def _unpin_others(update):
    LiveUpdate.objects.filter(article=update.article_id, is_pinned=True).exclude(
        pk=update.pk
    ).update(is_pinned=False)


FIELDS = ("headline", "body", "is_key_event", "is_pinned", "correction", "published_at")


@transaction.atomic
def post_update(article, user, body, quotes=(), **fields):
    """
    A new update of ``article`` by ``user``, with ``quotes`` ((speaker, role, text) each)
    and ``fields`` (headline, is_key_event, is_pinned, published_at). Raises
    PermissionDenied or ValidationError (nothing is then saved).
    """
    # Locked: posts to one article take their quote positions and pin one at a time.
    coverage = coverage_of(article, lock=True)
    if not permissions.can_post(user, article, coverage):
        raise PermissionDenied(gettext("You cannot post updates to this article."))
    update = LiveUpdate(article=article, author=user, body=_checked_text("update", body))
    for name, value in fields.items():
        if name not in FIELDS:
            raise TypeError(f"An update has no field {name}.")
        if value is not None:
            setattr(update, name, value)
    if not update.body:
        raise ValidationError(gettext("An update needs some text."))
    with reversion.create_revision():
        if update.is_pinned:
            _unpin_others(update)
        update.save()
        _set_quotes(update, list(quotes), coverage)
        _revision(user, "Update posted")
    return update


@transaction.atomic
def edit_update(update, user, base_version, body, quotes=None, **fields):
    """
    Save an edit of ``update`` made from its edit number ``base_version``. An edit based
    on an older number is refused (StaleUpdate), saying who saved since; ``quotes`` None
    leaves the quotes as they are.
    """
    coverage = coverage_of(update.article_id, lock=True)
    current = LiveUpdate.objects.select_for_update().filter(pk=update.pk).first()
    if current is None:
        raise ValidationError(gettext("This update was deleted in the meantime."))
    if not permissions.can_change(user, current, coverage):
        raise PermissionDenied(gettext("You cannot edit this update."))
    if base_version is not None and current.edit_version != base_version:
        raise StaleUpdate(
            gettext(
                "Someone saved this update since you opened it: reload to see their version, "
                "then make your change again."
            )
        )
    current.body = _checked_text("update", body)
    if not current.body:
        raise ValidationError(gettext("An update needs some text."))
    for name, value in fields.items():
        if name not in FIELDS:
            raise TypeError(f"An update has no field {name}.")
        if value is not None:
            setattr(current, name, value)
    current.correction = _checked_text("correction", current.correction)
    current.edit_version += 1
    with reversion.create_revision():
        if current.is_pinned:
            _unpin_others(current)
        current.save()
        if quotes is not None:
            _set_quotes(current, list(quotes), coverage)
        _revision(user, "Update edited")
    return current


@transaction.atomic
def delete_update(update, user):
    coverage = coverage_of(update.article_id, lock=True)
    if not permissions.can_delete(user, update, coverage):
        raise PermissionDenied(gettext("You cannot delete this update."))
    with reversion.create_revision():
        update.delete()
        _revision(user, "Update deleted")
