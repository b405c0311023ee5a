"""
The kinds of block a body may hold, each a small class registered by the name written
after ``:::``.

A kind reads its arguments (``parse``), finds what its blocks refer to, all at once
(``load``: one query for a whole body, however many blocks), says what is wrong with a
block for the editor (``problem``), and describes it as a plain item (``item``): the JSON
the API shows, from which the page and the feeds render it with
``templates/articles/blocks/<type>.html`` and ``feed_<type>.html``. Items are stored with
the article when it is saved, so a page shows twenty blocks for no query at all.
"""

import shlex
from dataclasses import dataclass, field

from django.utils.translation import gettext

# Above any id a newsroom reaches, and well within what either database's keys hold.
MAX_NUMBER = 2**31


class BlockError(ValueError):
    """A block line that cannot be read: the message says how to write it."""


@dataclass
class Block:
    """One block line of a body, its arguments read by its kind."""

    kind: "BlockKind"
    line: int  # 0-based
    source: str
    params: dict = field(default_factory=dict)

    def where(self):
        return gettext("Line %(number)s (“%(source)s”)") % {
            "number": self.line + 1,
            "source": self.source[:80],
        }

    def problem(self, text):
        """``text`` said of this line: “Line 3 (“…”): …”, sorting by its line."""
        return LineProblem(f"{self.where()}: {text}", self.line + 1)


class LineProblem(str):
    """A sentence about a line of the body, which knows that line's number (from 1)."""

    def __new__(cls, text, line):
        problem = super().__new__(cls, text)
        problem.line = line
        return problem


class BlockKind:
    name = ""  # as written after ":::"
    item_type = ""  # the item's "type" in the API
    usage = ""  # how to write one, for error messages

    def write_it_as(self):
        """The message for a line of this kind that cannot be read."""
        return gettext("write it as “%(usage)s”") % {"usage": self.usage}

    def parse(self, arguments):
        """The block's parameters from the rest of its line; raises BlockError."""
        raise NotImplementedError

    def load(self, blocks, article, fetch):
        """What ``blocks`` (all of this kind in one body) refer to, as {key: record}."""
        return {}

    def problem(self, block, found):
        """What is wrong with ``block`` for the editor, or None."""
        return None

    def item(self, block, found):
        """The block as a plain JSON-ready dict with a ``type``."""
        raise NotImplementedError

    @staticmethod
    def words(arguments):
        try:
            return shlex.split(arguments)
        except ValueError as error:
            raise BlockError(
                gettext("a quotation mark is not closed (%(error)s)") % {"error": error}
            ) from error

    @staticmethod
    def number(word):
        """
        ``word`` as the number of a record, or None: ASCII digits only (“²” and “٣” are
        digits to ``str.isdigit()``, not numbers an editor means), and within what a
        database key holds.
        """
        if word.isascii() and word.isdigit() and 0 < (value := int(word)) < MAX_NUMBER:
            return value
        return None


KINDS = {}


def register(kind):
    """Make ``kind`` (a BlockKind instance) readable in bodies under ``kind.name``."""
    KINDS[kind.name] = kind
    return kind


def known_names():
    return ", ".join(f"“::: {name}”" for name in KINDS)
