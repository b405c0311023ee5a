"""Finding quotations and who said them."""

import re

from articles.importer.names import SPEECH_VERBS, people_in
from articles.importer.proposal import ProposedQuote

OPENING = '“"«'
CLOSING = '”"»'
QUOTE_SPAN = re.compile(r"[“\"«]([^“”\"«»]+)[”\"»]")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[“\"A-ZÀ-Ý])")
PRONOUN_AFTER = re.compile(rf"^\s*[,.]?\s*(?:he|she|they)\s+(?:{SPEECH_VERBS})\b", re.I)
VERB_THEN_WHO = re.compile(rf"^\s*[,.]?\s*(?:{SPEECH_VERBS})\s+(?P<who>[^.;:!?]+)")
WHO_THEN_VERB = re.compile(rf"^\s*[,.]?\s*(?P<who>[^.;:!?“”\"]+?)\s+(?:{SPEECH_VERBS})\b")
WHO_BEFORE = re.compile(rf"(?P<who>[^.;!?“”\"]+?)\s+(?:{SPEECH_VERBS})\b[^.;!?“”\"]*[,:]?\s*$")
APPOSITIVE = re.compile(r"^(?P<name>[^,]+),\s+(?:the\s+|a\s+)?(?P<role>[^,]+?)(?:,|$)")
MIN_WORDS = 4  # shorter quoted text is a title or a scare quote, not a quotation
# How far before and after a quotation its attribution is looked for, in characters: a
# sentence or so. Reading the whole paragraph again for each quotation made the cost of
# a long paragraph with many quotations grow with their product.
ATTRIBUTION_REACH = 300


def sentences(paragraph):
    return [s for s in SENTENCE_END.split(paragraph) if s.strip()]


class Attributor:
    """Remembers the speakers met so far, for “she said” and for surnames alone."""

    def __init__(self, known_names=()):
        self.last = None
        self.by_surname = {name.split()[-1]: name for name in known_names if " " in name}
        self.roles = {}

    def person(self, text, prefer="first"):
        found = people_in(text)
        if found:
            role, name, *_ = found[0] if prefer == "first" else found[-1]
            return self.remember(name, role)
        # A surname alone, for someone already named: “…,” Lammy said.
        for word in re.findall(r"[A-ZÀ-Ý][\w’'-]+", text):
            if word in self.by_surname:
                name = self.by_surname[word]
                return self.remember(name, self.roles.get(name, ""))
        return None

    def remember(self, name, role):
        self.by_surname.setdefault(name.split()[-1], name)
        if role:
            self.roles[name] = role
        self.last = (name, role or self.roles.get(name, ""))
        return self.last

    def after(self, tail):
        """Attribution following a quotation: “…,” said X / X said / she said."""
        tail = tail[:ATTRIBUTION_REACH]
        if PRONOUN_AFTER.match(tail):
            return self.last
        for pattern in (VERB_THEN_WHO, WHO_THEN_VERB):
            if match := pattern.match(tail):
                who = match.group("who")
                if appositive := APPOSITIVE.match(who.strip()):
                    found = self.person(appositive.group("name"))
                    if found and not found[1]:
                        return self.remember(found[0], appositive.group("role").strip())
                    if found:
                        return found
                if found := self.person(who):
                    return found
        return None

    def before(self, head):
        """Attribution leading into a quotation: X said: “…” / Healey made it clear:"""
        head = head[-ATTRIBUTION_REACH:]
        last = sentences(head)[-1] if head.strip() else ""
        if match := WHO_BEFORE.search(last):
            return self.person(match.group("who"))
        if last.rstrip().endswith(":"):
            return self.person(last)
        return None


def is_whole_quotation(paragraph):
    text = paragraph.strip()
    return (
        len(text) > 2
        and text[0] in OPENING
        and text[-1] in CLOSING
        and not any(ch in OPENING + CLOSING for ch in text[1:-1].replace("'", ""))
    )


def find_quotes(paragraphs, known_names=(), limit=None):
    """
    The quotations in ``paragraphs`` (headings excluded), each with its speaker if found;
    with ``limit``, no more than ``limit + 1`` of them (enough to tell there are too many).
    """
    attributor = Attributor(known_names)
    quotes = []
    index = 0
    while index < len(paragraphs):
        if limit is not None and len(quotes) > limit:
            return quotes[: limit + 1]
        paragraph = paragraphs[index].strip()
        previous = paragraphs[index - 1] if index else ""
        # A quotation running over several paragraphs: each opens, only the last closes.
        if paragraph[:1] in OPENING and not any(ch in CLOSING for ch in paragraph[1:]):
            parts, end = [paragraph.lstrip(OPENING)], index + 1
            while end < len(paragraphs) and paragraphs[end].strip()[:1] in OPENING:
                part = paragraphs[end].strip()
                if any(ch in CLOSING for ch in part[1:]):
                    close = next(i for i, ch in enumerate(part) if i and ch in CLOSING)
                    parts.append(part[1:close])
                    speaker = attributor.after(part[close + 1 :]) or attributor.before(previous)
                    quotes.append(make_quote(" ".join(parts), speaker, len(quotes) + 1))
                    break
                parts.append(part.lstrip(OPENING))
                end += 1
            index = end + 1
            continue
        # Names in the paragraph teach the attributor surnames and roles first.
        for role, name, *_ in people_in(paragraph):
            attributor.by_surname.setdefault(name.split()[-1], name)
            if role:
                attributor.roles.setdefault(name, role)
        if is_whole_quotation(paragraph):
            speaker = attributor.before(previous)
            quotes.append(make_quote(paragraph[1:-1], speaker, len(quotes) + 1))
        else:
            for match in QUOTE_SPAN.finditer(paragraph):
                text = match.group(1)
                if len(text.split()) < MIN_WORDS:
                    continue
                speaker = attributor.after(paragraph[match.end() :]) or attributor.before(
                    paragraph[: match.start()] or previous
                )
                quotes.append(make_quote(text, speaker, len(quotes) + 1))
                if limit is not None and len(quotes) > limit:
                    break
        index += 1
    return quotes if limit is None else quotes[: limit + 1]


def make_quote(text, speaker, position):
    text = " ".join(text.split()).strip().rstrip(",").strip()
    name, role = speaker if speaker else ("", "")
    return ProposedQuote(text=text, speaker=name, role=role, position=position)
