"""The catalogues of the interface text: complete for the source, French for readers."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from newsroom.catalogues import CATALOGUE_LANGUAGES, LOCALE, MAKEMESSAGES_OPTIONS, ROOT

# Where readers read the text of a reference: the public templates (the editors' side
# lives in templates/admin/) and the modules that write the public pages, feeds,
# calendars and error answers.
PUBLIC_MODULES = (
    "articles/views.py",
    "articles/feeds.py",
    "articles/filters.py",
    "articles/search.py",
    "articles/templatetags/",
    "articles/live/views.py",
    "articles/live/feeds.py",
    "articles/live/pages.py",
    "articles/planning/calendars.py",
    "articles/planning/ics.py",
    "newsroom/errors.py",
)
# What makemessages is told to ignore, and what the checkout holds besides its source.
COPIED_WITHOUT = {"bench", "tests", "node_modules", "staticfiles", "media", "var", "build"}


def is_public(location):
    path = location[0]
    if path.startswith("templates/"):
        return not path.startswith("templates/admin/")
    return path.startswith(PUBLIC_MODULES)


def read_catalogue(folder, language):
    with (folder / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def key(message):
    """A message's identity: its context and its (singular) msgid."""
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, msgid


def forms(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def described(message):
    context, msgid = key(message)
    where = ", ".join(sorted({path for path, _line in message.locations}))
    return f"{msgid!r}" + (f" (context {context!r})" if context else "") + f" in {where}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues as makemessages makes them from the current source, made in a copy
    of the project so that the committed ones are left as they are."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext's xgettext is missing: CI must install gettext.")
        pytest.skip("GNU gettext's xgettext is not installed: cannot extract the strings.")
    copy = tmp_path_factory.mktemp("source") / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=lambda folder, names: [
            name
            for name in names
            if (Path(folder) == ROOT and (name in COPIED_WITHOUT or name.startswith(".")))
            or name in ("__pycache__", "test-artifacts")
            or name.endswith((".mo", ".sqlite3", ".sqlite3-journal"))
        ],
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings_test"}
    env.pop("DATABASE_URL", None)  # extracting reads no database
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--verbosity=0", *MAKEMESSAGES_OPTIONS],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return {language: read_catalogue(copy / "locale", language) for language in CATALOGUE_LANGUAGES}


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_every_string_of_the_source_is_in_the_catalogue(extracted, language):
    """A string wrapped for translation but missing from a committed catalogue would never
    be translated: run ``make messages`` and translate it."""
    committed = {key(message) for message in read_catalogue(LOCALE, language) if message.id}
    missing = [
        described(message)
        for message in extracted[language]
        if message.id and key(message) not in committed
    ]
    assert not missing, f"Not in locale/{language}: run make messages.\n" + "\n".join(missing)


def test_french_translates_every_string_readers_see():
    """A French reader never meets English on the public site (nor a translation that
    lost a placeholder, which would break the page)."""
    catalogue = read_catalogue(LOCALE, "fr")
    untranslated = [
        described(message)
        for message in catalogue
        if message.id and any(map(is_public, message.locations)) and not all(forms(message))
    ]
    assert not untranslated, "Untranslated in French:\n" + "\n".join(untranslated)
    broken = [
        f"{described(message)}: {'; '.join(map(str, errors))}"
        for message, errors in catalogue.check()
    ]
    assert not broken, "French translations that do not fit their msgid:\n" + "\n".join(broken)


def test_no_french_translation_is_fuzzy():
    """A fuzzy entry is a guess makemessages made from a changed msgid: never compiled, so
    readers would see English until a translator confirms it."""
    fuzzy = [described(m) for m in read_catalogue(LOCALE, "fr") if m.id and m.fuzzy]
    assert not fuzzy, "Fuzzy in French (check, then remove the flag):\n" + "\n".join(fuzzy)
    assert not read_catalogue(LOCALE, "fr").fuzzy, "The French catalogue's header is fuzzy."


def pagination(number, query_string=""):
    """The pagination of page ``number`` of a list of five pages, as a list page shows it."""
    paginator = Paginator(range(100), 20)
    context = {
        "is_paginated": True,
        "paginator": paginator,
        "page_obj": paginator.page(number),
        "query_string": query_string,
    }
    return Template("{% load newsroom %}{% pagination %}").render(Context(context))


def test_pagination_reads_in_french():
    """The same page in English and in French: the words change, the links do not."""
    english = pagination(2)
    with translation.override("fr"):
        french = pagination(2)
    assert ">Newer</a>" in english and "Page 2 of 5" in english
    assert ">Plus récents</a>" in french and "Page 2 sur 5" in french
    assert ">Plus anciens</a>" in french and 'aria-label="Pages"' in french
    assert 'href="?page=1"' in french and 'href="?page=3"' in french


def test_pagination_links_keep_the_query_and_stop_at_either_end():
    first = pagination(1, "q=tanker+%26+ship&tag=ukraine")
    assert 'rel="prev"' not in first and "Page 1 of 5" in first
    assert '<a rel="next" href="?q=tanker+%26+ship&amp;tag=ukraine&amp;page=2">Older</a>' in first
    last = pagination(5, "q=tanker")
    assert '<a rel="prev" href="?q=tanker&amp;page=4">Newer</a>' in last
    assert 'rel="next"' not in last and "Page 5 of 5" in last
    one_page = Template("{% load newsroom %}{% pagination %}").render(
        Context({"is_paginated": False})
    )
    assert one_page == ""


BILINGUAL = {"LANGUAGES": [("en-gb", "British English"), ("fr", "français")]}


@pytest.mark.django_db
def test_a_public_page_reads_in_french(client, settings):
    """The search page at its French address: its layout, labels and counts in French,
    ``lang`` saying so; the English address stays English."""
    settings.LANGUAGES = BILINGUAL["LANGUAGES"]
    html = client.get("/fr/search/", {"q": "introuvable"}).content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Recherche</h1>" in html
    assert "0 résultat pour «\u00a0introuvable\u00a0»" in html
    assert "Aucun résultat. Essayez avec moins de mots, ou d’autres mots." in html
    assert ">Aller au contenu</a>" in html and ">Rectificatifs</a>" in html
    html = client.get("/search/", {"q": "introuvable"}).content.decode()
    assert '<html lang="en-GB">' in html and "0 results for “introuvable”" in html


@pytest.mark.django_db
def test_a_bad_filter_is_explained_in_french(client, settings):
    """A mistyped date answers 400 with a message the reader can read, in their language."""
    settings.LANGUAGES = BILINGUAL["LANGUAGES"]
    response = client.get("/fr/articles/", {"from": "demain"})
    assert response.status_code == 400
    assert "Les dates s’écrivent AAAA-MM-JJ" in response.content.decode()


def test_the_live_notice_counts_in_french():
    """The live page's script takes its words from the page: French singular and plural
    forms, chosen as gettext chooses them (one for 0 and 1 in French)."""
    live = SimpleNamespace(
        coverage=SimpleNamespace(state="live", is_open=True),
        key_events=[],
        pinned=None,
        updates=[],
        poll_seconds=20,
    )
    context = {"live": live, "article": SimpleNamespace(get_absolute_url="/a/")}
    with translation.override("fr"):
        html = render_to_string("articles/live/updates.html", context)
    assert 'data-text-new-one="{count} nouvelle mise à jour"' in html
    assert 'data-text-new-other="{count} nouvelles mises à jour"' in html
    assert 'data-text-show="afficher"' in html
    assert "Pas encore de mise à jour." in html
