"""
Editorial actions with side effects: each checks the role, changes the article,
and records a revision, in one transaction.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from articles import invalidation, limits
from articles.models import Article, Correction
from articles.permissions import can_edit, can_publish


def _current(article):
    """
    Bring ``article`` up to date from the database and lock its row until the transaction
    ends. A bulk action read its list of articles before acting on each: writing that
    copy back would undo an edit saved since, and an edit saved while the action runs now
    waits for it instead.
    """
    try:
        article.refresh_from_db(from_queryset=Article.objects.for_update())
    except Article.DoesNotExist:
        raise ValidationError(gettext("It was deleted in the meantime.")) from None


def _save(article, user, comment):
    with reversion.create_revision():
        article.last_edited_by = user
        article.save()
        reversion.set_user(user)
        reversion.set_comment(comment)


@transaction.atomic
def publish(article, user, at=None):
    """
    Publish ``article`` now, or at ``at`` (a future time schedules it).

    Raises PermissionDenied for a writer, and ValidationError if the article is not
    ready (no standfirst, no tag...).
    """
    if not can_publish(user):
        raise PermissionDenied(gettext("Only editors can publish articles."))
    _current(article)
    problems = article.publication_problems()
    if problems:
        raise ValidationError(problems)
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    article.derive_fields()
    article.validate_constraints()  # e.g. another article already has this slug that day
    when = "Scheduled" if article.published_at > timezone.now() else "Published"
    _save(article, user, when)
    return article


@transaction.atomic
def unpublish(article, user):
    """Take ``article`` off the public site; it goes back to draft."""
    if not can_publish(user):
        raise PermissionDenied(gettext("Only editors can unpublish articles."))
    _current(article)
    article.status = Article.Status.DRAFT
    _save(article, user, "Unpublished")
    return article


@transaction.atomic
def submit_for_review(article, user):
    _current(article)  # the rights are those on the article as it is now
    if not can_edit(user, article):
        raise PermissionDenied(gettext("You cannot edit this article."))
    if article.status != Article.Status.DRAFT:
        raise ValidationError(gettext("Only a draft can be submitted for review."))
    article.status = Article.Status.IN_REVIEW
    _save(article, user, "Submitted for review")
    return article


@transaction.atomic
def add_tag(article, tag_name, user):
    _current(article)  # the rights are those on the article as it is now
    if not can_edit(user, article):
        raise PermissionDenied(gettext("You cannot edit this article."))
    names = {name.lower() for name in article.tags.values_list("name", flat=True)}
    if tag_name.lower() not in names and len(names) >= limits.MAX_TAGS_PER_ARTICLE:
        raise ValidationError(
            gettext("It already has %(count)s tags, the most an article may have (%(limit)s).")
            % {"count": len(names), "limit": limits.MAX_TAGS_PER_ARTICLE}
        )
    with reversion.create_revision():
        article.tags.add(tag_name)
        _save(article, user, f"Tagged “{tag_name}”")
    return article


@transaction.atomic
def add_correction(article, text, user):
    """A dated correction, shown on the article page; it moves the article's modified time."""
    if not can_publish(user):
        raise PermissionDenied(gettext("Only editors can correct articles."))
    _current(article)
    with reversion.create_revision():
        correction = Correction.objects.create(article=article, text=text)
        _save(article, user, "Correction added")
    return correction


def announce_published(articles):
    """
    Tell whatever keeps copies of public pages that ``articles`` are now public.

    For scheduled articles, which become public by time alone with no save to say so
    (see ``manage.py publish_due``): the pages that show them are renewed, here and at
    the CDN, as after an edit.
    Returns the articles, as a list.
    """
    articles = list(articles)
    for article in articles:
        invalidation.article_changed(article.pk, was_public=True)
    return articles
