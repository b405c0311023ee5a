"""
Readable differences between two states of an article: its saved revisions
(django-reversion versions) or what is in the database now.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleEvent, Person, Quote, TaggedArticle

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
# Words and spaces compared word by word in one changed stretch of lines, at most: about
# a thousand words, a quarter of a second at worst.
MAX_WORD_DIFF_TOKENS = 2_000


@dataclass
class Snapshot:
    """What an editor compares: the words of an article and its quotes."""

    title: str = ""
    standfirst: str = ""
    body: str = ""
    status: str = ""
    quotes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    LABELS = {
        "title": _("Headline"),
        "standfirst": _("Standfirst"),
        "body": _("Body"),
        "status": _("Status"),
        "quotes": _("Quotes"),
        "tags": _("Tags"),
        "events": _("Related events"),
    }


def quote_line(speaker, role, text):
    return f"{speaker}{f' ({role})' if role else ''}: “{text}”"


def snapshot_of_article(article):
    """The article as it is in the database now."""
    quotes = article.quotes.select_related("speaker").order_by("position")
    links = article.event_links.select_related("event").order_by("event__name")
    return Snapshot(
        title=article.title,
        standfirst=article.standfirst,
        body=article.body,
        status=article.get_status_display(),
        quotes=[quote_line(q.speaker.name, q.role, q.text) for q in quotes],
        tags=sorted(tag.name for tag in article.tags.all()),
        events=sorted(f"{link.get_kind_display()} {link.event.name}" for link in links),
    )


def snapshot_of_version(version):
    """The article as saved in one revision, with the quotes, tags and events saved with it."""
    from taggit.models import Tag

    from articles.models import Event

    fields = version.field_dict
    related = {Quote: [], TaggedArticle: [], ArticleEvent: []}
    for child in version.revision.version_set.select_related("content_type"):
        if child.content_type.model_class() in related:
            related[child.content_type.model_class()].append(child.field_dict)

    def ids(rows, key):
        return {row.get(key, row.get(key.removesuffix("_id"))) for row in rows}

    people = Person.objects.in_bulk(ids(related[Quote], "speaker_id"))
    tags = Tag.objects.in_bulk(ids(related[TaggedArticle], "tag_id"))
    events = Event.objects.in_bulk(ids(related[ArticleEvent], "event_id"))

    def name(objects, row, key):
        found = objects.get(row.get(key, row.get(key.removesuffix("_id"))))
        return str(found) if found else "(deleted)"

    quotes = sorted(related[Quote], key=lambda row: row.get("position", 0))
    links = related[ArticleEvent]
    return Snapshot(
        title=fields.get("title", ""),
        standfirst=fields.get("standfirst", ""),
        body=fields.get("body", ""),
        status=Article.Status(fields["status"]).label if fields.get("status") else "",
        quotes=[
            quote_line(name(people, q, "speaker_id"), q.get("role", ""), q.get("text", ""))
            for q in quotes
        ],
        tags=sorted(name(tags, row, "tag_id") for row in related[TaggedArticle]),
        events=sorted(
            f"{ArticleEvent.Kind(row['kind']).label} {name(events, row, 'event_id')}"
            for row in links
        ),
    )


def word_diff(old, new):
    """
    ``old`` → ``new`` as HTML, removed words in <del> and added ones in <ins>.

    Line by line first, then word by word inside the lines that changed: word by word
    over a whole long feature took seconds (eight for one sentence added to 50,000
    characters). Lines rewritten past MAX_WORD_DIFF_TOKENS are shown removed and added
    whole.
    """
    old_lines, new_lines = (old or "").splitlines(True), (new or "").splitlines(True)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        before, after = "".join(old_lines[a1:a2]), "".join(new_lines[b1:b2])
        if op == "equal":
            parts.append(escape(before))
        else:
            parts.append(changed_words(before, after))
    return mark_safe("".join(parts))


def changed_words(old, new):
    old_tokens, new_tokens = TOKENS.findall(old), TOKENS.findall(new)
    if max(len(old_tokens), len(new_tokens)) > MAX_WORD_DIFF_TOKENS:
        return marked("del", old) + marked("ins", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_tokens[a1:a2])))
            continue
        parts.append(marked("del", "".join(old_tokens[a1:a2])))
        parts.append(marked("ins", "".join(new_tokens[b1:b2])))
    return "".join(parts)


def marked(tag, text):
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def compare(old, new):
    """
    Each part of two snapshots as (label, changed, html): a word diff for text, and
    lines added or removed for quotes, tags and events.
    """
    rows = []
    for name, label in Snapshot.LABELS.items():
        before, after = getattr(old, name), getattr(new, name)
        if isinstance(before, list):
            before, after = "\n".join(before), "\n".join(after)
        rows.append((str(label), before != after, word_diff(before, after)))
    return rows


def changed_parts(old, new):
    """The labels of the parts that differ, e.g. ["Headline", "Quotes"]."""
    return [label for label, changed, _ in compare(old, new) if changed]
