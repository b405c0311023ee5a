"""
Making a translation from its original, and telling whether it has kept up with it.

A translation starts as a draft copy of its original in the original's words, for the
translator to replace: the same tags, events, lead image and quotes (each quote's words
as said kept in ``original_text``). ``translation_source`` records the original as it
stood then; the original's edits since are what the translation is missing.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from articles import diff, languages, permissions
from articles.models import Article, ArticleEvent, Quote
from articles.translations import rules

SOURCE_FIELDS = ["title", "standfirst", "body"]


def source_of(original):
    """What a translation records of its original: its edit number and its words."""
    return {"version": original.edit_version, **{f: getattr(original, f) for f in SOURCE_FIELDS}}


def is_out_of_date(translation, original=None):
    """Whether the original's headline, standfirst or body changed since the translation
    was made (or last brought up to date). Unknown (no record kept) counts as changed."""
    original = original or translation.translation_of
    if original is None:
        return False
    source = translation.translation_source or {}
    return any(source.get(f) != getattr(original, f) for f in SOURCE_FIELDS)


def changes_since(translation):
    """The original's words then and now, as (label, changed, html) rows of articles.diff."""
    original = translation.translation_of
    source = translation.translation_source or {}
    return [
        (diff.Snapshot.LABELS[f], source.get(f, "") != getattr(original, f),
         diff.word_diff(source.get(f, ""), getattr(original, f)))
        for f in SOURCE_FIELDS
    ]  # fmt: skip


def group_of(article):
    """The original and its translations, the original first, then by language."""
    original = article.original
    members = list(Article.objects.filter(translation_of=original).select_related("translation_of"))
    order = {code: index for index, code in enumerate(languages.codes())}
    members.sort(key=lambda a: (order.get(a.language, len(order)), a.language))
    return [original, *members]


def create(article, language, user):
    """
    A draft translation of ``article``'s original into ``language``, prefilled from it,
    written by ``user``. Raises PermissionDenied if ``user`` may not make it, and
    ValidationError if it cannot be made (not a language of the site, the original's own,
    or one the original already has a translation in).
    """
    original = article.original
    if language not in languages.codes():
        raise ValidationError(
            _("“%(code)s” is not one of this site's languages.") % {"code": language}
        )
    if not rules.may_translate(user, original, language):
        raise PermissionDenied(_("You may not translate this article into that language."))
    if language == original.language:
        raise ValidationError(_("The original is already in that language."))
    if original.translations.filter(language=language).exists():
        raise ValidationError(_("The original already has a translation in that language."))
    try:
        with transaction.atomic(), reversion.create_revision():
            translation = _copy(original, language, user)
            reversion.set_user(user)
            reversion.set_comment(
                _("Translation into %(language)s started") % {"language": languages.name(language)}
            )
    except IntegrityError:  # made by someone else in the meantime
        raise ValidationError(
            _("The original already has a translation in that language.")
        ) from None
    return translation


def _copy(original, language, user):
    translation = Article(
        title=original.title,
        slug=original.slug,
        standfirst=original.standfirst,
        body=original.body,
        dateline=original.dateline,
        lead_image_id=original.lead_image_id,
        status=Article.Status.DRAFT,
        language=language,
        translation_of=original,
        translation_source=source_of(original),
        created_by=user,
        last_edited_by=user,
    )
    translation.save()
    translation.authors.add(user)
    translation.tags.add(*original.tags.all())
    # One by one, not in bulk: each row's signals renew what shows it, as in the form.
    for link in original.event_links.all():
        ArticleEvent.objects.create(article=translation, event_id=link.event_id, kind=link.kind)
    for quote in original.quotes.filter(update=None):
        Quote.objects.create(
            article=translation,
            speaker_id=quote.speaker_id,
            position=quote.position,
            role=quote.role,
            text=quote.text,
            original_text=quote.original_text or quote.text,
            original_language=quote.original_language or original.language,
        )
    translation.save()  # the body again, now that the pull quotes it names are there
    return translation


def mark_up_to_date(translation, user):
    """Record that ``translation`` has caught up with its original as it is now."""
    with transaction.atomic():
        translation = Article.objects.for_update().get(pk=translation.pk)
        if not permissions.can_edit(user, translation):
            raise PermissionDenied(_("You may not edit this translation."))
        original = translation.translation_of
        if original is None:
            raise ValidationError(_("This article is not a translation."))
        Article.objects.filter(pk=translation.pk).update(translation_source=source_of(original))
    return translation
