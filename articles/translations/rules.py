"""Who may write in which language: the language side of ``articles.permissions``."""

from articles import languages, permissions


def allowed_languages(user):
    """The site's languages ``user`` may write articles in, the default first."""
    site = languages.codes()
    limited = getattr(user, "_translator_languages", None)
    if limited is None:
        from articles.translations.models import TranslatorLanguages

        row = TranslatorLanguages.objects.filter(user_id=user.pk).first() if user.pk else None
        limited = list(row.languages) if row and row.languages else []
        user._translator_languages = limited  # asked once per request's user
    return [code for code in site if code in limited] if limited else site


def may_write_in(user, language):
    return language in allowed_languages(user)


def may_translate(user, original, language):
    """Make ``original``'s translation into ``language``: edit the original, write in it."""
    return (
        permissions.can_edit(user, original)
        and user.has_perm("articles.add_article")
        and may_write_in(user, language)
    )
