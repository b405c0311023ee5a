"""
Who may do what to an article: the one home of the newsroom's object-level rules.

The admin, the bulk actions, the preview and the services all ask here.
"""


def can_publish(user):
    """Publish, schedule and unpublish: editors only."""
    return user.is_active and user.has_perm("articles.publish_article")


def can_edit(user, article):
    """Editors edit everything; writers edit their own articles until they are published."""
    if not (user.is_active and user.has_perm("articles.change_article")):
        return False
    if article is None or user.has_perm("articles.edit_any_article"):
        return True
    return article.is_owned_by(user) and article.status != article.Status.PUBLISHED


def can_view(user, article):
    """Staff may open (and preview) an article if they may edit it, or it is published."""
    if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
        return False
    if article is None or user.has_perm("articles.edit_any_article"):
        return True
    return article.is_owned_by(user) or article.status == article.Status.PUBLISHED


def viewable(user, articles):
    """
    The articles in ``articles`` that ``user`` may open in the admin: the list's
    counterpart of can_view (a writer never sees another writer's drafts).
    """
    from django.db.models import Q

    if user.has_perm("articles.edit_any_article"):
        return articles
    mine_or_published = Q(created_by=user) | Q(authors=user) | Q(status="published")
    return articles.filter(mine_or_published).distinct()


def can_describe_picture(user, picture):
    """
    Change a library picture's texts and focal point: whoever may change pictures, until a
    published article shows it; from then on editors only, since readers see the change
    on that article (as they would an edit of the article itself).
    """
    if not (user.is_active and user.has_perm("articles.change_picture")):
        return False
    if picture is None or picture.pk is None or user.has_perm("articles.edit_any_article"):
        return True
    return not picture.uses.filter(article__status="published").exists()


def can_see_share_links(user, article):
    """Share links open a draft without a login: its own writers and editors see them."""
    if article is None or user.has_perm("articles.edit_any_article"):
        return True
    return article.is_owned_by(user)


def can_delete(user, article):
    if not (user.is_active and user.has_perm("articles.delete_article")):
        return False
    if article is None or user.has_perm("articles.edit_any_article"):
        return True
    return article.is_owned_by(user) and article.status == article.Status.DRAFT


def allowed_statuses(user, article=None):
    """The statuses ``user`` may set (a writer never sets published)."""
    from articles.models import Article

    if can_publish(user):
        return list(Article.Status)
    return [Article.Status.DRAFT, Article.Status.IN_REVIEW]


def can_ingest(user):
    """Send stories through the API (as drafts): anyone on staff who may write articles."""
    return user.is_active and user.is_staff and user.has_perm("articles.add_article")


def manages_accounts(user):
    """Open staff accounts (e-mail, groups, permissions) and list them: not writers, who
    only look colleagues up by name to pick co-authors."""
    from django.contrib.auth import get_user_model

    options = get_user_model()._meta
    return user.is_active and user.has_perm(f"{options.app_label}.change_{options.model_name}")


def may_act_for(actor, user):
    """
    Whether ``actor`` may make something that acts as ``user`` (an API token, whose
    drafts are attributed to its user): themselves, or someone strictly below them, with
    no permission ``actor`` lacks. Never a superuser, unless ``actor`` is one.
    """
    if not (actor.is_active and user.is_active and user.is_staff):
        return False
    if actor.pk == user.pk or actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    return user.get_all_permissions() < actor.get_all_permissions()
