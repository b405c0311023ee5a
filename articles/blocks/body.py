"""
A whole body, blocks and text, rendered for readers, checked for editors, kept fresh.

``render(article)`` gives the body's HTML and its items (the text between blocks as
sanitized HTML, each block as its kind describes it); the article stores both when it is
saved (``Article.body_html``, ``Article.body_items``), so pages, feeds and the API show
them for no query. What a block shows lives in other records (a quote's words, its
speaker's name, an embed's title), so when one of those changes, ``rerender`` renders the
articles that show it again, in the same transaction, and empties their stored parts.
"""

from collections import defaultdict

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, override

from articles import markdown
from articles.blocks import kinds  # noqa: F401 - registers the kinds
from articles.blocks.registry import KINDS, Block, BlockError, known_names


def blocks_of(text):
    """(the body's blocks, the problems of lines that are not blocks one can read)."""
    blocks, problems = [], []
    for directive in markdown.directives(text):
        kind = KINDS.get(directive.kind)
        block = Block(kind, directive.line, directive.source)
        if kind is None:
            problems.append(
                block.problem(
                    gettext("“::: %(kind)s” is not a kind of block. A body may hold %(kinds)s.")
                    % {"kind": directive.kind, "kinds": known_names()}
                )
            )
            continue
        try:
            block.params = kind.parse(directive.arguments)
        except BlockError as error:
            problems.append(block.problem(str(error)))
            continue
        except ValueError:
            # What a kind did not foresee (“²” passes str.isdigit, not int()) is a line it
            # cannot read all the same: the editor is told how to write it, never a 500.
            problems.append(block.problem(kind.write_it_as()))
            continue
        blocks.append(block)
    return blocks, problems


# A body asks at most this many providers when it is saved (each may take the time limit).
MAX_EMBEDS = 20


def loaded(blocks, article, fetch):
    """What the blocks refer to, per kind: one read for all the blocks of a kind."""
    by_kind = defaultdict(list)
    for block in blocks:
        by_kind[block.kind.name].append(block)
    return {name: KINDS[name].load(found, article, fetch) for name, found in by_kind.items()}


def problems(text, article, quote_positions=None):
    """
    What an editor must fix in the body's blocks before it is saved, as sentences: kinds
    that do not exist, arguments that cannot be read, quotes the article does not have,
    addresses we do not embed, pictures the library does not have. ``quote_positions``:
    the positions of the quotes the form is saving with the body, if not the saved ones.
    """
    blocks, found_problems = blocks_of(text)
    if quote_positions is not None:
        blocks_by_kind = loaded([b for b in blocks if b.kind.name != "pull-quote"], article, False)
        blocks_by_kind["pull-quote"] = dict.fromkeys(quote_positions)
    else:
        blocks_by_kind = loaded(blocks, article, False)
    for block in blocks:
        if problem := block.kind.problem(block, blocks_by_kind.get(block.kind.name, {})):
            found_problems.append(block.problem(problem))
    embeds = {block.params["url"] for block in blocks if block.kind.name == "embed"}
    if len(embeds) > MAX_EMBEDS:
        found_problems.append(
            gettext("A body may embed at most %(limit)s addresses; this one has %(count)s.")
            % {"limit": MAX_EMBEDS, "count": len(embeds)}
        )
    return sorted(found_problems, key=line_number)


def ask_ahead(text):
    """
    Ask the providers of the body's embeds not yet recorded, now: the save that follows
    finds their answers kept (``embeds.fetch``) and never waits on the network inside its
    transaction.
    """
    from articles.embeds import fetch, providers
    from articles.embeds.models import Embed

    blocks, _ = blocks_of(text)
    urls = list(dict.fromkeys(b.params["url"] for b in blocks if b.kind.name == "embed"))
    if not urls or len(urls) > MAX_EMBEDS:
        return
    known = set(Embed.objects.filter(url__in=urls).values_list("url", flat=True))
    for url in urls:
        if url not in known:
            fetch.fetch(providers.recognise(url))


def line_number(problem):
    return getattr(problem, "line", 0)


def items(article, fetch=False):
    """
    The body of ``article`` as items: ``{"type": "text", "html": ...}`` between blocks,
    and each block's item. A block that cannot be read shows as its text. With ``fetch``,
    embeds not yet recorded are recorded (their provider asked); else shown from the
    address alone.
    """
    text = article.body or ""
    parts = markdown.body_parts(text)
    if not any(isinstance(part, markdown.Directive) for part in parts):
        return [{"type": "text", "html": part} for part in parts]
    blocks, _ = blocks_of(text)
    by_line = {block.line: block for block in blocks}
    found = loaded(blocks, article, fetch)
    result = []
    for part in parts:
        if not isinstance(part, markdown.Directive):
            result.append({"type": "text", "html": part})
        elif (block := by_line.get(part.line)) is not None:
            result.append(block.kind.item(block, found.get(block.kind.name, {})))
        else:
            result.append({"type": "text", "html": part.as_text_html()})
    # Text next to text (an unreadable block between) reads as one item.
    merged = []
    for item in result:
        if merged and item["type"] == "text" and merged[-1]["type"] == "text":
            merged[-1] = {"type": "text", "html": merged[-1]["html"] + item["html"]}
        else:
            merged.append(item)
    return merged


def html(body_items, feed=False):
    """The body's HTML from its items: for the page, or for feed readers (no script, no
    frame, a link where the page has a placeholder)."""
    prefix = "articles/blocks/feed_" if feed else "articles/blocks/"
    parts = []
    for item in body_items:
        if item["type"] == "text":
            parts.append(item["html"])
        else:
            parts.append(render_to_string(f"{prefix}{item['type']}.html", {"item": item}))
    return mark_safe("".join(parts))  # text sanitized by nh3, blocks escaped by templates


def render(article, fetch=True):
    """
    (body HTML, body items) of ``article`` as readers will see them: stored, so in the
    article's language (a block's words, “Gallery not available.”), whatever language the
    editor who saved it reads.
    """
    with override(article.language):
        body_items = items(article, fetch=fetch)
        return str(html(body_items)), body_items


def embed_urls(body_items):
    return [item["url"] for item in body_items if item["type"] == "embed"]


def stored_items(article):
    """The article's stored items; those saved before bodies had blocks are one text."""
    if article.body_items:
        return article.body_items
    return [{"type": "text", "html": article.body_html}] if article.body_html else []


def public_items(article):
    """The stored items with every address on this site made absolute: for the API and feeds."""
    from articles.structured_data import absolute

    def visit(value, key=None):
        if isinstance(value, dict):
            return {k: visit(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v) for v in value]
        if isinstance(value, str) and value.startswith("/") and key in ("url", "src", "full_url"):
            return absolute(value)
        if isinstance(value, str) and key in ("srcset", "jpeg_srcset", "webp_srcset"):
            return ", ".join(absolute(c.strip()) for c in value.split(",") if c.strip())
        return value

    return visit(stored_items(article))


def feed_html(article):
    """The body as a feed reader gets it: blocks as plain HTML, embeds as links."""
    return html(public_items(article), feed=True)


# Freshness ----------------------------------------------------------------------------------


def rerender(articles):
    """
    Render the bodies of ``articles`` (a queryset) again, store those that changed, and
    empty their pages' stored parts and cached pages. Call inside the change's transaction.
    """
    from articles import fragments, invalidation
    from articles.models import Article, Quote

    changed = []
    queryset = articles.only("pk", "body", "body_html", "body_items", "status").prefetch_related(
        Prefetch("quotes", Quote.objects.select_related("speaker"))
    )
    for article in queryset:
        body_html, body_items = render(article, fetch=False)
        if body_html != article.body_html or body_items != article.body_items:
            Article.objects.filter(pk=article.pk).update(body_html=body_html, body_items=body_items)
            changed.append(article)
    if changed:
        fragments.stale(pk__in=[article.pk for article in changed])
        for article in changed:
            invalidation.article_changed(
                article.pk, was_public=article.status == Article.Status.PUBLISHED
            )
    return changed
