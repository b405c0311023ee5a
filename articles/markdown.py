"""Article bodies: Markdown in, sanitized HTML out."""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

from articles.limits import MAX_MARKDOWN_NESTING

_markdown = MarkdownIt(
    "commonmark",
    {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_MARKDOWN_NESTING},
)

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li",
    "blockquote", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _tokenize_blocks(state, start_line, end_line, _tokenize=_markdown.block.tokenize):
    """
    The block parser, except past the nesting limit: markdown-it then skips the rest of
    the text, so whatever followed a list or quotation nested too deeply vanished. Here
    the lines it would skip are kept as a paragraph of plain text, and the first such
    line is noted in ``env`` for ``nesting_problem``.
    """
    if state.level < state.md.options.maxNesting:
        return _tokenize(state, start_line, end_line)
    line = state.skipEmptyLines(start_line)
    state.line = line
    if line >= end_line or state.sCount[line] < state.blkIndent:
        return None
    last = line
    while last < end_line and (state.isEmpty(last) or state.sCount[last] >= state.blkIndent):
        last += 1
    state.env.setdefault("too_deep_at", line)
    state.push("paragraph_open", "p", 1)
    text = state.push("text", "", 0)
    text.content = state.getLines(line, last, state.blkIndent, False).strip()
    state.push("paragraph_close", "p", -1)
    state.line = last
    return None


_markdown.block.tokenize = _tokenize_blocks


@lru_cache(maxsize=8)
def _render(text):
    """(sanitized HTML, the 0-based line where nesting went too deep or None)."""
    env = {}
    html = _markdown.render(text, env)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return clean, env.get("too_deep_at")


def render_markdown(text):
    """
    Render an article body. Raw HTML in the source is escaped, then the result is
    sanitized. The last few results are kept: a save checks, cleans and stores the
    same body, and rendering a long one takes a while.
    """
    return _render(text or "")[0]


def nesting_problem(text):
    """A message saying where ``text`` nests lists or quotations too deeply, or None."""
    line = _render(text or "")[1]
    if line is None:
        return None
    shown = (text.splitlines()[line] if line < len(text.splitlines()) else "").strip()
    shown = shown if len(shown) <= 60 else shown[:60] + "…"
    return (
        f"Lists or quotations are nested too deeply at line {line + 1} (“{shown}”): at most "
        f"{MAX_MARKDOWN_NESTING} levels, a list counting two. Indent less there."
    )
