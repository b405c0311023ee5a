"""
The languages of the site (``settings.LANGUAGES``, from ``SITE_LANGUAGES``) and which one a
request is in.

The first language is the default: its addresses carry no prefix, so a single-language
site's addresses are what they always were. Each other language's public addresses carry
its code (``/fr/articles/...``). A reader's language is the one of the address they asked
for, never guessed from ``Accept-Language``: a page's address says what it holds, so it
can be cached and linked to as it is. The editors' side, never cached, follows the
editor's browser (or the language cookie).
"""

from django.conf import settings
from django.utils import translation


def codes():
    """The site's language codes, the default first."""
    return [code for code, _name in settings.LANGUAGES]


def default():
    return settings.LANGUAGE_CODE


def is_multilingual():
    """Whether articles in more than one language are read: only then do lists sort by it."""
    return len(settings.LANGUAGES) > 1


def reading():
    """
    The language whose articles a public page lists: the current one. On a site of one
    language too, so an article left in a language the site no longer has is not listed
    (its page, in no language of the site, cannot be opened either).
    """
    return current()


def name(code):
    """A language's name in itself: “français”."""
    return dict(settings.LANGUAGES).get(code) or translation.get_language_info(code)["name_local"]


def current():
    """The language the current request (or rendering) is in: always one of the site's."""
    return translation.get_language() or default()


def prefix(code):
    """``"/fr"`` for a non-default language, ``""`` for the default."""
    return "" if code == default() else f"/{code}"


def in_language(language, field, original, translations):
    """
    ``(text, language of the text)``: ``field``'s text in ``language`` if ``translations()``
    (by language code, then field) holds one, else ``original`` in the site's first
    language. The translations are not read at all for the first language.
    """
    if language != default():
        text = ((translations() or {}).get(language) or {}).get(field)
        if text:
            return text, language
    return original, default()


def translated_text(obj, field, language):
    """
    ``(text, language of the text)`` of ``obj``'s ``field`` in ``language``: a model or
    plain row with ``translated()``, or a tag whose profile was read with it (never asked
    for here: a list of tags would cost a query each).
    """
    if hasattr(obj, "translated"):
        return obj.translated(field, language)
    profile = obj._state.fields_cache.get("profile") if hasattr(obj, "_state") else None
    return in_language(
        language, field, getattr(obj, field), lambda: getattr(profile, "translations", None)
    )


class RequestLanguageMiddleware:
    """
    Reads a public page's language from its address alone, and the editors' side's from the
    editor's browser. The reader's choice of page is a link (the language switcher), so the
    response never varies on ``Accept-Language`` and the page cache keeps one copy.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL.lstrip("/")

    def __call__(self, request):
        if request.path_info.startswith(self.admin_prefix):
            language = translation.get_language_from_request(request)
        else:
            language = translation.get_language_from_path(request.path_info) or default()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()
