"""
The limits on what editors and the ingest API may send, in one place.

Every text path (Markdown rendering, the importer, tag parsing, search indexing, the
near-duplicate checks) costs time in proportion to its input, so each input has a
ceiling: within it, a save or an import answers in a few seconds at worst; past it, the
editor (or the API client) is told which limit was met, and nothing is saved.
"""

from django.utils.translation import gettext, gettext_noop

# An article's body, in characters of Markdown. A long feature is 50,000; the worst
# Markdown (thousands of unclosed brackets) renders at about 20,000 characters a second.
MAX_BODY_CHARS = 100_000
# The standfirst is one or two sentences; the quotes are what someone said.
MAX_STANDFIRST_CHARS = 2_000
MAX_QUOTE_CHARS = 5_000
# What a tag, person or event is: Markdown rendered on each of its pages.
MAX_DESCRIPTION_CHARS = 10_000
# Quotations in one article, and tags on one article (picked and new together).
MAX_QUOTES_PER_ARTICLE = 100
MAX_TAGS_PER_ARTICLE = 30
# Lists and block quotations inside one another: the renderer's limit (each list level
# counts twice, for the list and its item). Past it the rest would not be rendered, so
# a body nested deeper is refused, saying where.
MAX_MARKDOWN_NESTING = 20
# Brackets, links and emphasis inside one another within a paragraph: past this they are
# shown as typed rather than parsed further (it bounds the cost of unclosed brackets).
MAX_INLINE_NESTING = 6
# A story to import (pasted, uploaded or sent to the API), in characters of text.
MAX_IMPORT_CHARS = MAX_BODY_CHARS
# A ninjs body sent to the API, in characters of HTML (markup takes room of its own).
MAX_IMPORT_HTML_CHARS = 2 * MAX_IMPORT_CHARS
# Events the importer looks up for one story: each distinct name costs a query.
MAX_IMPORT_EVENT_NAMES = 50
# JSON sent to the API: arrays and objects inside one another (ninjs needs four).
MAX_JSON_NESTING = 32
# “Clean up” compares each name with its neighbours in alphabetical order (and in the
# order of their endings), this many on each side, and shows this many groups a list.
DUPLICATE_WINDOW = 3
MAX_DUPLICATE_GROUPS = 100
# Saving a name compares it with at most this many existing names close to it.
MAX_NAMES_COMPARED = 200


# The names of what too_long() measures, marked for translation: callers pass them as is.
LABELS = [gettext_noop("body"), gettext_noop("standfirst"), gettext_noop("quote"),
          gettext_noop("description"), gettext_noop("role"), gettext_noop("update"),
          gettext_noop("title")]  # fmt: skip


def too_long(label, text, limit):
    """The message for ``text`` over ``limit`` characters, or None."""
    if text and len(text) > limit:
        return gettext(
            "The %(label)s may be at most %(limit)s characters long; this one has %(count)s."
        ) % {"label": gettext(str(label)), "limit": f"{limit:,}", "count": f"{len(text):,}"}
    return None


def new_tags_problem(names, longest):
    """
    The message for tag names typed into a form that an article cannot take (too many, or
    one past ``longest`` characters, which PostgreSQL refuses with a server error), or None.
    """
    if len(names) > MAX_TAGS_PER_ARTICLE:
        return gettext(
            "An article may have at most %(limit)s tags; %(count)s new ones were typed here."
        ) % {"limit": MAX_TAGS_PER_ARTICLE, "count": f"{len(names):,}"}
    for name in names:
        if len(name) > longest:
            return gettext(
                "A tag may be at most %(limit)s characters long; “%(name)s…” has %(count)s."
            ) % {"limit": longest, "name": name[:40], "count": len(name)}
    return None
