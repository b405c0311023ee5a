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
                gettext(
                    "The file is %(size)s MB; a story to import may be at most %(limit)s KB "
                    "of text."
                )
                % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024}
            )
        if b"\0" in data[:8192]:
            raise ImportProblem(gettext("This is not a text file (it looks like a binary file)."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportProblem(
                gettext(
                    "The file is not UTF-8 text (the byte at position %(position)s is not valid "
                    "UTF-8). Save it as UTF-8 text and try again."
                )
                % {"position": error.start}
            ) from error
    if size > MAX_BYTES:
        raise ImportProblem(
            gettext("The text is %(size)s MB; a story to import may be at most %(limit)s KB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024}
        )
    if len(text) > MAX_IMPORT_CHARS:
        raise ImportProblem(
            gettext(
                "The story is %(count)s characters long; a story to import may be at most "
                "%(limit)s (the longest article body)."
            )
            % {"count": f"{len(text):,}", "limit": f"{MAX_IMPORT_CHARS:,}"}
        )
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text) // 100):
        raise ImportProblem(gettext("This is not a text file (it is full of control characters)."))
    if not text.strip():
        raise ImportProblem(gettext("The file is empty: there is no text to import."))
    return text.replace("\r\n", "\n").replace("\r", "\n")
