"""Checking and decoding what was uploaded or pasted, before any analysis."""

from django.utils.translation import gettext

from articles.importer.proposal import ImportProblem
from articles.limits import MAX_IMPORT_CHARS

MAX_BYTES = 1024 * 1024  # a long feature is 50 KB; a megabyte of text is not a story


def read_text(data):
    """Decode ``data`` (bytes or str) as UTF-8 text, or raise ImportProblem saying why not."""
    if isinstance(data, str):
        text = data
        size = len(text.encode("utf-8", "surrogatepass"))
    else:
        size = len(data)
        if size > MAX_BYTES:
            raise ImportProblem(
                f"The file is {size / 1024 / 1024:.1f} MB; a story to import may be at most "
                f"{MAX_BYTES // 1024} KB of text."
            )
        if b"\0" in data[:8192]:
            raise ImportProblem(gettext("This is not a text file (it looks like a binary file)."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportProblem(
                f"The file is not UTF-8 text (the byte at position {error.start} is not valid "
                "UTF-8). Save it as UTF-8 text and try again."
            ) from error
    if size > MAX_BYTES:
        raise ImportProblem(
            f"The text is {size / 1024 / 1024:.1f} MB; a story to import may be at most "
            f"{MAX_BYTES // 1024} KB."
        )
    if len(text) > MAX_IMPORT_CHARS:
        raise ImportProblem(
            f"The story is {len(text):,} characters long; a story to import may be at most "
            f"{MAX_IMPORT_CHARS:,} (the longest article body)."
        )
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text) // 100):
        raise ImportProblem(gettext("This is not a text file (it is full of control characters)."))
    if not text.strip():
        raise ImportProblem(gettext("The file is empty: there is no text to import."))
    return text.replace("\r\n", "\n").replace("\r", "\n")
