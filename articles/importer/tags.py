"""Proposing tags: the newsroom's existing tags found in the text, then salient names."""

import re
from collections import Counter, defaultdict

from articles.importer.names import NOT_NAME_WORDS, ROLE_WORDS

MAX_TAGS = 12
ALIASES = {
    "UK": "United Kingdom",
    "Britain": "United Kingdom",
    "EU": "European Union",
    "US": "United States",
    "UN": "United Nations",
}
EVENT_WORDS = {"Summit", "Meeting", "Meetings", "Conference", "Council", "Forum", "Operation"}
ENTITY = re.compile(r"(?:[A-ZÀ-Ý][\w’'-]*)(?:[ \t]+[A-ZÀ-Ý][\w’'-]*)*")
SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|[“\"]\s*)$")
# How much text before a name is read to tell whether it starts a sentence.
SENTENCE_START_REACH = 100
FIRST_WORD = re.compile(r"\w+")
WORD_OR_SIGN = re.compile(r"\w+|[^\w\s]")
COMMON_STARTERS = NOT_NAME_WORDS | {
    "i", "if", "he", "she", "they", "there", "what", "when", "where", "while", "who", "why",
    "how", "after", "before", "despite", "for", "from", "however", "meanwhile", "military",
    "economic", "looking", "stepping", "laying", "government", "presidents", "president", "the",
}  # fmt: skip


def existing_tags_in(text, existing_names):
    """
    Existing tag names that appear in ``text`` as whole words, any case, longest first
    where they overlap, in the order they appear.

    Each place a word starts is looked up among the names starting with that word, by
    their lengths: one regular expression of every name tried them all at every
    character, which with ten thousand tags took minutes for a long story.
    """
    by_start = defaultdict(lambda: defaultdict(dict))  # first word -> length -> lower -> name
    for name in existing_names:
        if len(name) < 2:
            continue
        lowered = name.lower()
        first = FIRST_WORD.match(lowered)
        key = first.group(0) if first else lowered[0]
        by_start[key][len(lowered)].setdefault(lowered, name)
    if not by_start:
        return []
    lowered_text = text.lower()
    found = {}
    position = 0
    for match in WORD_OR_SIGN.finditer(lowered_text):
        if match.start() < position:
            continue  # inside a name already found
        lengths = by_start.get(match.group(0))
        if not lengths:
            continue
        for length in sorted(lengths, reverse=True):
            candidate = lowered_text[match.start() : match.start() + length]
            end = match.start() + length
            if candidate in lengths[length] and not (
                (end < len(lowered_text) and is_word_character(lowered_text[end]))
                or (match.start() and is_word_character(lowered_text[match.start() - 1]))
            ):
                found.setdefault(lengths[length][candidate], None)
                position = end
                break
    return list(found)


def is_word_character(ch):
    return ch.isalnum() or ch == "_"


def salient_names(text, exclude=()):
    """Capitalised names by how often they appear mid-sentence, most frequent first."""
    excluded = {name.lower() for name in exclude}
    name_words = {word for name in exclude for word in name.split() if word[:1].isupper()}
    counts, first_seen = Counter(), {}
    for match in ENTITY.finditer(text):
        words = match.group(0).replace("’s", "").replace("'s", "").split()
        before = text[max(0, match.start() - SENTENCE_START_REACH) : match.start()]
        at_start = bool(SENTENCE_START.search(before))
        if at_start and words[0].lower() in COMMON_STARTERS:
            words = words[1:]
        while words and words[0].lower() in COMMON_STARTERS:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        if name in ALIASES:
            name = ALIASES[name]
        elif all(w.lower() in ROLE_WORDS | COMMON_STARTERS for w in words):
            continue
        if any(name.lower() in other or other in name.lower() for other in excluded):
            continue
        if name_words & set(words) and len(words) > 1:
            continue  # a person's name with their title, or part of an event's name
        if EVENT_WORDS & set(words):
            continue  # part of an event's name: events are proposed as events
        if len(words) == 1 and at_start:
            continue  # a capital at a sentence's start says nothing
        counts[name] += 1
        first_seen.setdefault(name, match.start())
    singles = [n for n, c in counts.items() if c >= 2 or len(n.split()) > 1]
    return sorted(singles, key=lambda n: (-counts[n], first_seen[n]))


def propose_tags(text, existing_names, exclude=()):
    tags = existing_tags_in(text, existing_names)
    known = {tag.lower() for tag in tags}
    for name in salient_names(text, exclude):
        if len(tags) >= MAX_TAGS:
            break
        if name.lower() not in known:
            tags.append(name)
            known.add(name.lower())
    return tags[:MAX_TAGS]
