"""
The interface text's catalogues compiled: each ``locale/<language>/LC_MESSAGES/django.po``
to the ``django.mo`` Django reads, with Babel, so that no system package (GNU gettext's
``msgfmt``) is needed to install or run the site. The ``.mo`` files are built, never
committed: ``make install`` (and so ``make run`` and ``make test``) runs this, and the test
suite does before it starts.

    python -m newsroom.catalogues     # compile those that changed
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


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
    for path in compile_catalogues():
        print(f"Compiled {path.relative_to(LOCALE.parent)}")
    sys.exit(0)
