"""
Article bodies: Markdown in, sanitized HTML out.

A line of its own starting with ``:::`` at the top level of the text (not in a list, a
quotation or code) is a *block*: ``::: pull-quote 2``, ``::: embed https://...``. The
Markdown here only finds them; what each is and how it renders is ``articles.blocks``.
"""

from dataclasses import dataclass
from functools import lru_cache

import nh3
from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from articles.limits import MAX_BODY_CHARS, MAX_INLINE_NESTING, MAX_MARKDOWN_NESTING

OPTIONS = {"html": False, "linkify": False, "typographer": False}
_markdown = MarkdownIt("commonmark", {**OPTIONS, "maxNesting": MAX_MARKDOWN_NESTING})
# Inline text (links, emphasis) is parsed with a nesting limit of its own, lower: the
# time taken by a run of unclosed brackets grows with it, and past it brackets are
# kept as text (a link inside six pairs of brackets is not one).
_inline = MarkdownIt("commonmark", {**OPTIONS, "maxNesting": MAX_INLINE_NESTING})
_markdown.inline.parse = lambda src, md, env, tokens: _inline.inline.parse(
    src, _inline, env, tokens
)


def _image_as_link(renderer, tokens, index, options, env):
    """Bodies have no pictures of their own (the sanitizer removes <img>, and with it the
    alt text): an image written in Markdown is shown as a link to it, its text kept.
    Inside a link (a linked badge) only its text is shown, so the link keeps its target;
    an image with no text shows nothing, as before, rather than an empty link."""
    token = tokens[index]
    text = escapeHtml(renderer.renderInlineAsText(token.children or [], options, env))
    if env.get("inside_link") or not text.strip():
        return text
    return f'<a href="{escapeHtml(token.attrGet("src") or "")}">{text}</a>'


def _link_open(renderer, tokens, index, options, env):
    env["inside_link"] = env.get("inside_link", 0) + 1
    return renderer.renderToken(tokens, index, options, env)


def _link_close(renderer, tokens, index, options, env):
    env["inside_link"] = env.get("inside_link", 1) - 1
    return renderer.renderToken(tokens, index, options, env)


_markdown.add_render_rule("image", _image_as_link)
_markdown.add_render_rule("link_open", _link_open)
_markdown.add_render_rule("link_close", _link_close)

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


BLOCK_MARKER = ":::"


@dataclass(frozen=True)
class Directive:
    """A block line of the body: ``::: <kind> <arguments>`` at ``line`` (0-based)."""

    kind: str
    arguments: str
    line: int
    source: str

    def as_text_html(self):
        """The line as a paragraph of plain text, where blocks are not read (descriptions)."""
        return f"<p>{escapeHtml(self.source)}</p>\n"


def _block_directive(state, start_line, end_line, silent):
    """A ``:::`` line at the top level of the text becomes one ``body_block`` token."""
    if state.parentType not in ("root", "paragraph") or state.level != 0 or state.blkIndent:
        return False
    if state.sCount[start_line] >= 4:
        return False  # indented: code
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[begin : state.eMarks[start_line]]
    if not line.startswith(BLOCK_MARKER):
        return False
    if silent:
        return True
    kind, _, arguments = line[len(BLOCK_MARKER) :].strip().partition(" ")
    token = state.push("body_block", "", 0)
    token.map = [start_line, start_line + 1]
    token.meta = {"directive": Directive(kind, arguments.strip(), start_line, line.strip())}
    state.line = start_line + 1
    return True


# Before paragraphs, and able to end one: a block line directly under a paragraph is a block.
_markdown.block.ruler.before(
    "table", "body_block", _block_directive, {"alt": ["paragraph", "reference", "blockquote"]}
)


def _clean(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


@lru_cache(maxsize=8)
def _render(text):
    """
    (the body in order: sanitized HTML strings and ``Directive``s, the 0-based line where
    nesting went too deep or None).
    """
    env = {}
    tokens = _markdown.parse(text, env)
    parts, run = [], []

    def flush():
        if run:
            parts.append(_clean(_markdown.renderer.render(run, _markdown.options, env)))
            run.clear()

    for token in tokens:
        if token.type == "body_block":
            flush()
            parts.append(token.meta["directive"])
        else:
            run.append(token)
    flush()
    return tuple(part for part in parts if part), env.get("too_deep_at")


def body_parts(text):
    """The body in order: sanitized HTML strings and the ``Directive`` of each block line."""
    return _render(text or "")[0]


def directives(text):
    """The block lines of ``text``."""
    return [part for part in body_parts(text) if isinstance(part, Directive)]


def render_markdown(text):
    """
    Render Markdown: raw HTML in the source is escaped, then the result is sanitized;
    block lines show as the text they are (``articles.blocks`` renders an article's).
    The last few results are kept: a save checks, cleans and stores the same body, and
    rendering a long one takes a while.
    """
    return "".join(
        part.as_text_html() if isinstance(part, Directive) else part for part in body_parts(text)
    )


def prerender(text):
    """Render ``text`` now, if it is within the limit, so that rendering it again is free."""
    if text and len(text) <= MAX_BODY_CHARS:
        _render(text)


def nesting_problem(text):
    """A message saying where ``text`` nests lists or quotations too deeply, or None."""
    line = _render(text or "")[1]
    if line is None:
        return None
    shown = (text.splitlines()[line] if line < len(text.splitlines()) else "").strip()
    shown = shown if len(shown) <= 60 else shown[:60] + "…"
    return gettext(
        "Lists or quotations are nested too deeply at line %(line)s (“%(shown)s”): at most "
        "%(limit)s levels, a list counting two. Indent less there."
    ) % {"line": line + 1, "shown": shown, "limit": MAX_MARKDOWN_NESTING}


def pictures_without_text(text):
    """
    How many pictures written in ``text`` (``![](photo.jpg)``) have no text: a body's
    picture is shown as a link with its text, so one without shows readers nothing.
    """
    if not text or len(text) > MAX_BODY_CHARS:
        return 0
    return sum(
        1
        for block in _markdown.parse(text)
        for token in block.children or []
        if token.type == "image" and not "".join(c.content for c in token.children or []).strip()
    )
