"""Who may plan coverage, see it and start it: editors plan; writers see and start their own."""


def can_plan(user):
    """Plan, assign, change and cancel coverage: editors."""
    return user.is_active and user.has_perm("articles.add_coverage")


def sees_all_coverage(user):
    """Editors see the whole plan; a writer sees their own assignments only."""
    return user.is_active and user.has_perm("articles.change_coverage")


def can_see(user, coverage):
    return sees_all_coverage(user) or (
        user.is_active
        and user.has_perm("articles.view_coverage")
        and coverage.assignee_id == user.pk
    )


def can_start(user, coverage):
    """Start the draft of a piece: its writer, or an editor, as long as they may write."""
    if not (user.is_active and user.is_staff and user.has_perm("articles.add_article")):
        return False
    return can_plan(user) or coverage.assignee_id == user.pk


def visible_coverage(user, coverage):
    """The rows of ``coverage`` (a queryset) that ``user`` may see."""
    if sees_all_coverage(user):
        return coverage
    if not (user.is_active and user.has_perm("articles.view_coverage")):
        return coverage.none()
    return coverage.filter(assignee=user)
