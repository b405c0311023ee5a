"""
Who may do what with live coverage: the article rules of ``articles.permissions``,
carried over to updates.

Editors make articles live, close and reopen them, and post, edit and delete any
update. A writer posts updates to a live article they wrote (its creator or one of its
authors: editors decide who covers a story by naming its authors), and edits or
deletes their own updates there while coverage is live. A published article stays
closed to writers' edits as before: updates are records of their own.
"""

from articles.permissions import can_publish


def can_manage(user):
    """Make an article live, close its coverage and write its summary: editors."""
    return can_publish(user)


def _edits_any(user):
    return user.has_perm("articles.edit_any_article")


def can_post(user, article, coverage):
    """Post an update to ``article`` (whose ``coverage`` may be None: not live)."""
    if not (user.is_active and user.is_staff and user.has_perm("articles.add_liveupdate")):
        return False
    if coverage is None:
        return False
    if _edits_any(user):
        return True
    return coverage.is_open and article.is_owned_by(user)


def _may_touch(user, update, coverage, permission):
    if not (user.is_active and user.is_staff and user.has_perm(permission)):
        return False
    if _edits_any(user):
        return True
    return (
        coverage is not None
        and coverage.is_open
        and update.author_id == user.pk
        and update.article.is_owned_by(user)
    )


def can_change(user, update, coverage):
    return _may_touch(user, update, coverage, "articles.change_liveupdate")


def can_delete(user, update, coverage):
    return _may_touch(user, update, coverage, "articles.delete_liveupdate")


def can_view(user, update, coverage):
    """Open an update in the admin: whoever may open its article there."""
    from articles.permissions import can_view as can_view_article

    return user.has_perm("articles.view_liveupdate") and can_view_article(user, update.article)
