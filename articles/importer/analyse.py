"""Turning text into a Proposal: structure first, then quotes, people, events and tags."""

import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from taggit.models import Tag

from articles.importer.events import find_events
from articles.importer.names import UPPER
from articles.importer.proposal import ImportProblem, Proposal, ProposedPerson
from articles.importer.quotes import OPENING, find_quotes, is_whole_quotation
from articles.importer.tags import propose_tags
from articles.limits import MAX_QUOTES_PER_ARTICLE, MAX_STANDFIRST_CHARS
from articles.models import Event, Person

MAX_HEADLINE = 160
SUBHEADING_MAX_WORDS = 12
DATELINE = re.compile(
    rf"^(?P<place>[{UPPER}][{UPPER} .'’/-]{{1,40}}?)(?:,\s*[^—–\-:]{{1,40}}?)?\s*"
    r"(?:\([^)]{1,40}\)\s*)?[—–-]\s+"
)
# A dateline as a paragraph of its own, as the Commission writes it: “Brussels, 12 June 2024”.
DATELINE_ALONE = re.compile(
    rf"^(?P<place>[{UPPER}][\w .'’/-]{{1,40}}),\s*\d{{1,2}}\s+[A-Z][a-z]+\s+\d{{4}}\.?$"
)
CLOSING_PUNCTUATION = '.!?:;,…"”’)]'


def split_paragraphs(text):
    """Blank-line-separated blocks when there are any; otherwise each line."""
    text = text.strip()
    if re.search(r"\n[ \t]*\n", text):
        blocks = re.split(r"\n[ \t]*\n+", text)
        joined = (" ".join(line.strip() for line in block.splitlines()) for block in blocks)
        return [block.strip() for block in joined if block.strip()]
    return [line.strip() for line in text.splitlines() if line.strip()]


def take_headline(paragraphs):
    first = paragraphs[0].lstrip("#").strip()
    sentences = re.split(r"(?<=[.!?])\s+", first)
    if len(first) <= MAX_HEADLINE and len(sentences) <= 1:
        return first.rstrip("."), paragraphs[1:]
    # The story starts straight away: borrow its first sentence, keep the paragraph.
    headline = sentences[0].rstrip(".")
    if len(headline) > MAX_HEADLINE:
        headline = headline[:MAX_HEADLINE].rsplit(" ", 1)[0] + "…"
    return headline, paragraphs


def take_dateline(paragraphs):
    if paragraphs and (match := DATELINE_ALONE.match(paragraphs[0])):
        return match.group("place").strip(), paragraphs[1:]
    if paragraphs and (match := DATELINE.match(paragraphs[0])):
        place = match.group("place").strip().title()
        return place, [paragraphs[0][match.end() :], *paragraphs[1:]]
    return "", paragraphs


def is_subheading(paragraph):
    text = paragraph.strip()
    return text.startswith("#") or (
        len(text.split()) <= SUBHEADING_MAX_WORDS
        and len(text) <= 90
        and text[-1] not in CLOSING_PUNCTUATION
        and text[0] not in OPENING
        and text[0].isupper()
    )


def structure(paragraphs):
    """(kind, text) blocks: a short unpunctuated line between paragraphs is a heading."""
    blocks = []
    for index, paragraph in enumerate(paragraphs):
        between = 0 < index < len(paragraphs) - 1
        if paragraph.startswith("#") or (between and is_subheading(paragraph)):
            blocks.append(("heading", paragraph.lstrip("#").strip()))
        else:
            blocks.append(("paragraph", paragraph))
    return blocks


def names_query(field, name):
    """Case-insensitive match on ``name``, reading hyphens and dashes, ’ and ' alike."""
    variants = {name}
    for a, b in [("-", "–"), ("–", "-"), ("’", "'"), ("'", "’")]:
        variants |= {v.replace(a, b) for v in variants}
    query = Q()
    for variant in variants:
        query |= Q(**{f"{field}__iexact": variant})
    return query


def analyse(text, published_on=None):
    """A Proposal for ``text`` (already decoded). Nothing is saved."""
    published_on = published_on or timezone.localdate()
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise ImportProblem(gettext("There is no text to import."))
    title, paragraphs = take_headline(paragraphs)
    dateline, paragraphs = take_dateline(paragraphs)
    blocks = structure(paragraphs)
    notes = []

    standfirst = ""
    if (
        blocks
        and blocks[0][0] == "paragraph"
        and not is_whole_quotation(blocks[0][1])
        and len(blocks[0][1]) <= MAX_STANDFIRST_CHARS  # too long to sum up: the story itself
    ):
        standfirst = blocks.pop(0)[1]
    body = "\n\n".join(f"## {text}" if kind == "heading" else text for kind, text in blocks)
    prose = [standfirst] + [text for kind, text in blocks if kind == "paragraph"]
    prose = [p for p in prose if p]
    if not prose:
        notes.append(gettext("Only a headline was found: the article is a draft to write."))

    # Headings stay in, marked: a statement (“X said:” and plain paragraphs) ends at one.
    read = ([standfirst] if standfirst else []) + [text for kind, text in blocks]
    headings = [n + bool(standfirst) for n, (kind, _) in enumerate(blocks) if kind == "heading"]
    quotes = find_quotes(read, limit=MAX_QUOTES_PER_ARTICLE, headings=headings)
    if len(quotes) > MAX_QUOTES_PER_ARTICLE:
        raise ImportProblem(
            gettext(
                "The story has more than %(limit)s quotations; an article may have at most "
                "%(limit)s. Split it into several stories."
            )
            % {"limit": MAX_QUOTES_PER_ARTICLE}
        )
    people = {}
    for quote in quotes:
        if quote.speaker and quote.speaker not in people:
            existing = Person.objects.filter(names_query("name", quote.speaker)).first()
            people[quote.speaker] = ProposedPerson(
                name=existing.name if existing else quote.speaker,
                role=quote.role or (existing.role if existing else ""),
                existing_id=existing.pk if existing else None,
            )
            quote.speaker = people[quote.speaker].name
    if any(not quote.speaker for quote in quotes):
        notes.append(
            gettext("Some quotes have no identified speaker: choose one or drop the quote.")
        )

    full_text = "\n\n".join([title, *prose])
    events = find_events(
        full_text,
        published_on,
        is_known=lambda name: Event.objects.filter(names_query("name", name)).exists(),
    )
    for event in events:
        if existing := Event.objects.filter(names_query("name", event.name)).first():
            event.existing_id, event.name = existing.pk, existing.name
            event.starts_on, event.ends_on = existing.starts_on, existing.ends_on
            event.date_precision = existing.date_precision
            event.location = existing.location

    tags = propose_tags(
        full_text,
        Tag.objects.values_list("name", flat=True),
        exclude=[p.name for p in people.values()] + [e.name for e in events],
    )
    return Proposal(
        title=title,
        standfirst=standfirst,
        body=body,
        published_on=published_on,
        dateline=dateline,
        quotes=quotes,
        people=list(people.values()),
        tags=tags,
        events=events,
        notes=notes,
    )
