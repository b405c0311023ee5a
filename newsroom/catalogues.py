"""
The catalogues of the interface text, ``locale/<language>/LC_MESSAGES/django.po``.

Extracted from the code and templates by Django's ``makemessages`` (which needs GNU
gettext's ``xgettext``: a translator's or developer's tool), and compiled to the
``django.mo`` Django reads with Babel, so that no system package is needed to install or
run the site. The ``.mo`` files are built, never committed: ``make install`` (and so
``make run`` and ``make test``) compiles them, and the test suite does before it starts.

    python -m newsroom.catalogues            # compile those that changed
    python -m newsroom.catalogues extract    # makemessages, then compile (make messages)
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# The catalogues shipped (makemessages' locale names): British English, the text as
# written, and French, complete for the public site.
CATALOGUE_LANGUAGES = ["en_GB", "fr"]
# What makemessages reads: the project's code and templates, not its tests, benchmarks or
# dependencies. Each reference is a file without its line (``#: templates/base.html``), so
# that moving a line does not change the catalogues.
MAKEMESSAGES_OPTIONS = [
    *(f"--locale={language}" for language in CATALOGUE_LANGUAGES),
    "--add-location=file",
    *(f"--ignore={folder}" for folder in
      [".venv", "bench", "tests", "node_modules", "staticfiles", "media", "build"]),
]  # fmt: skip


def extract(root=ROOT):
    """Bring the catalogues under ``root`` up to date with its code and templates."""
    command = [sys.executable, "manage.py", "makemessages", *MAKEMESSAGES_OPTIONS]
    subprocess.run(command, cwd=root, check=True)


def compile_catalogues(folder=LOCALE):
    """Compile every ``django.po`` under ``folder`` whose ``.mo`` is missing or older.
    Returns the ``.mo`` files written."""
    written = []
    for source in sorted(folder.glob("*/LC_MESSAGES/django.po")):
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as po:
            catalog = read_po(po, locale=source.parent.parent.name)
        partial = target.with_suffix(".mo.tmp")
        with partial.open("wb") as mo:
            # Fuzzy entries are guesses left by makemessages: never shown to readers (the
            # test suite refuses them in the French catalogue).
            write_mo(mo, catalog, use_fuzzy=False)
        partial.replace(target)  # a running server never reads half a file
        written.append(target)
    if written:
        forget_loaded_catalogues()
    return written


def forget_loaded_catalogues():
    """Make Django read the catalogues again (what its autoreloader does on a change)."""
    from django.utils.translation.reloader import translation_file_changed

    translation_file_changed(None, Path("django.mo"))


if __name__ == "__main__":
    if sys.argv[1:] == ["extract"]:
        extract()
    for path in compile_catalogues():
        print(f"Compiled {path.relative_to(LOCALE.parent)}")
    sys.exit(0)
