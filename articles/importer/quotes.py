"""
Finding quotations and who said them.

The text is read once for its quotation marks (``quotation_spans``): a quotation may
hold another, and may run over several paragraphs, each opening with a mark and only
the last closing. Each quotation is then attributed from its own sentence (“…,” said X /
X said: “…” / X warned that the region “…”), from the paragraph leading into it, from
an attribution line after it (“— Name, Role”), or else to the speaker of the quotation
before it. Press-release statements without quotation marks (“Jane Holt said:” and
plain paragraphs) are read as quotations too.
"""

import re
from dataclasses import dataclass

from articles.importer.names import SPEECH_VERBS, UPPER, Mention, read_mention
from articles.importer.proposal import ProposedQuote
from articles.importer.speakers import Speakers

OPENING = '“"«'
CLOSING = '”"»'
MARK = re.compile(r"[“”\"«»]")
QUOTED = re.compile(r"^.*[“”\"«»]", re.S)
MIN_WORDS = 4  # shorter quoted text is a fragment, a scare quote or a term...
MIN_SAID_WORDS = 2  # ...unless it is a sentence someone is said to have said
# How far before and after a quotation its attribution is looked for, in characters: a
# sentence or so. Reading the whole paragraph again for each quotation made the cost of
# a long paragraph with many quotations grow with their product.
ATTRIBUTION_REACH = 300
# A full stop after these does not end a sentence: “Mr. Lindqvist said”.
ABBREVIATIONS = [
    "Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Gen", "Col", "Lt", "Sgt", "Rev", "No", "Jr", "Sr",
    "Capt", "Cllr", "Sen", "Rep", "Gov", "vs", "Art",
]  # fmt: skip
NOT_AFTER = "".join(rf"(?<!\b{word}\.)" for word in ABBREVIATIONS)
# The mark comes first: a pattern opening on look-behinds tries them at every character.
SENTENCE_END = re.compile(rf"[.!?]+{NOT_AFTER}(?<!\b[{UPPER}]\.)[”\"’)]*\s+(?=[“\"‘(\d{UPPER}])")
VERB = rf"(?:{SPEECH_VERBS})"
# After a quotation: “…,” said X / “…,” X said / “…” — X, Role / “…”, according to X.
VERB_THEN_WHO = re.compile(rf"^(?:{VERB})\s+(?P<who>.+)$")
WHO_THEN_VERB = re.compile(rf"^(?P<who>[^“”\"]{{1,200}}?)\s+(?P<verb>{VERB})\b(?P<rest>.*)$")
ACCORDING_TO = re.compile(r"\baccording to\s+(?P<who>[^“”\"]+?)\s*[,:]?\s*$", re.I)
TAIL_ACCORDING_TO = re.compile(r"^according to\s+(?P<who>.+)$", re.I)
DASH_LINE = re.compile(r"^[—–-]{1,2}\s*(?P<who>[^“”\"]{3,200})$")
# Before a quotation: the last speech verb of its sentence, with who comes before it.
VERB_IN_HEAD = re.compile(rf"\b(?:{VERB})\b")
RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which|whose)\b[^,]*,")
QUOTE_FROM = re.compile(r"^(?:quotes?|statement|comment)\s+(?:from|by)\s+", re.I)
# The clause holding the verb starts after these: “the plan, which Dubois described as”.
CLAUSE_WORD = re.compile(r"\b(?:which|who|whom|that|but|while|whereas)\b|;")
# Words between the speaker and the verb: “The Commissioner also called”.
BEFORE_VERB = re.compile(
    r"(?:\s+(?:also|further|again|then|later|earlier|previously|repeatedly|publicly|recently|"
    r"separately|has|have|had|was|is|were|will|would|once|too|herself|himself|themselves|"
    r"immediately|swiftly|quickly|subsequently))+$"
)
# A short capitalised phrase after one of these is the name of something: “a report
# called “Closing the Gap””.
TITLE_CUE = re.compile(
    r"\b(?:report|strategy|plan|programme|program|campaign|initiative|called|entitled|titled|"
    r"named|dubbed|theme|slogan|motto|known as|book|film|paper|agenda|declaration|package|"
    r"framework|study|survey|index|project|exhibition|document|communication|roadmap|charter|"
    r"pact|compact|partnership|mechanism|facility|fund|process|coalition|scheme|operation|"
    r"label|brand|hashtag|motion|resolution|bill|act|principles|guidelines|review|manifesto|"
    r"letter|white paper|green paper)\s*,?\s*$",
    re.I,
)
TERM_CUE = re.compile(
    r"\b(?:so-called|known as|nicknamed|termed|dubbed|labelled|labeled|branded|coined)\s*$",
    re.I,
)
SMALL_WORDS = {"a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with",
               "or", "from", "into", "vs", "&", "-", "–", "—"}  # fmt: skip
# Paragraphs that end a press release's statements: the notes, the boilerplate.
STATEMENT_STOPS = re.compile(
    r"^(?:#+\s*)?(?:notes? to editors?|background|ends\b|-\s*ends\s*-|further information|"
    r"for more information|media (?:enquiries|contacts?)|press (?:office|contact)|contacts?\b|"
    r"about\s|editor'?s notes?|for further|more information|see also|related|read more)",
    re.I,
)
# A paragraph opening on a thing or a body speaks of it, in the story's voice (“The funding
# will be paid from 1 April.”), unless it speaks in the first person.
STORY_OPENING = re.compile(r"^(?:The|A|An|Its|Their|His|Her|Since|Last|In\s+\d)\b")
FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me|I'm|I’m|we're|we’re|let us)\b")


@dataclass
class Span:
    """A quotation: its text and where it opens and closes (paragraph, offset)."""

    text: str
    first: int
    start: int
    last: int
    end: int


@dataclass
class Attribution:
    name: str
    role: str
    evidence: str


def sentences(paragraph):
    return [s for s in SENTENCE_END.split(paragraph) if s.strip()]


def last_sentence(text):
    starts = [match.end() for match in SENTENCE_END.finditer(text)]
    return text[starts[-1] :] if starts else text


def first_sentence(text):
    match = SENTENCE_END.search(text)
    return text[: match.start() + 1] if match else text


def mark_opens(paragraph, offset, depth):
    """Whether the mark at ``offset`` opens a quotation (straight marks: by their sides)."""
    mark = paragraph[offset]
    if mark in "“«":
        return True
    if mark in "”»":
        return False
    before = paragraph[offset - 1] if offset else " "
    after = paragraph[offset + 1] if offset + 1 < len(paragraph) else " "
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return True
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-"):
        return False
    return not depth


def quotation_spans(paragraphs):
    """
    Every outermost quotation in ``paragraphs``, in order. A paragraph left open runs on
    into the next if that one opens with a mark (the typographic convention); otherwise
    it closes where its paragraph ends.
    """
    spans, parts = [], []
    depth, opened, part_start = 0, (0, 0), 0
    for index, paragraph in enumerate(paragraphs):
        begin = 0
        if depth:
            if paragraph[:1] in OPENING:
                begin = part_start = 1
            else:
                spans.append(Span(" ".join(parts), *opened, index - 1, len(paragraphs[index - 1])))
                depth, parts = 0, []
        for match in MARK.finditer(paragraph, begin):
            offset = match.start()
            if mark_opens(paragraph, offset, depth):
                if not depth:
                    opened, part_start, parts = (index, offset), offset + 1, []
                depth += 1
            elif depth:
                depth -= 1
                if not depth:
                    parts.append(paragraph[part_start:offset])
                    spans.append(Span(" ".join(parts), *opened, index, offset + 1))
        if depth:
            parts.append(paragraph[part_start:])
    if depth:
        spans.append(Span(" ".join(parts), *opened, len(paragraphs) - 1, len(paragraphs[-1])))
    return spans


def is_title(text, head):
    """
    A name or a term in quotation marks, not a quotation: a short phrase in title case
    (“Closing the Gap”), one the story says is a name (a report called “Skills for life”),
    or a term (the so-called “coalition of the willing”).
    """
    words = text.split()
    if len(words) > 12 or text.rstrip()[-1:] in ".!?,;:":
        return False
    lead = head[-40:]
    if TERM_CUE.search(lead) or (TITLE_CUE.search(lead) and text[:1].isupper()):
        return True
    major = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(major) and all(w[:1].isupper() or not w[:1].isalpha() for w in major)


def is_quotation(span, head, tail):
    """
    Whether quoted text is a quotation: long enough to be more than a fragment, a scare
    quote or a name (“real progress” is not), or a short sentence someone is said to have
    said (“Nobody asked us,” he said).
    """
    text = span.text.strip()
    if is_title(text, head):
        return False
    if len(text.split()) >= MIN_WORDS:
        return True
    return (
        len(text.split()) >= MIN_SAID_WORDS
        and text[-1:] in ",.!?"
        and is_attached(text, tail)
        and who_after(tail) is not None
    )


def who_before(head):
    """The Mention leading into a quotation: “X said: “…”” / “X warned that the region “…””."""
    head = QUOTED.sub("", head).strip()  # a quotation earlier in the sentence is not who
    if not head:
        return None
    if match := ACCORDING_TO.search(head):
        return read_mention(match.group("who"))
    verbs = list(VERB_IN_HEAD.finditer(head))
    if verbs:
        return read_mention(subject_of(head[: verbs[-1].start()]))
    if head.endswith(":") and len(head.split()) <= 30:
        # “Jane Holt, Minister for Migration:”, “Quote from Commissioner Jessika Roswall:”
        return read_mention(QUOTE_FROM.sub("", head[:-1]))
    return None


def subject_of(before_verb):
    """
    Who a verb's subject is, from the words before it: the clause holding the verb starts
    after its relative word (“the plan, which Dubois described”), unless that clause closed
    before the verb (“Dr. Lena Kovač, a researcher who has examined dozens of phones,
    told”).
    """
    clauses = list(CLAUSE_WORD.finditer(before_verb))
    who = before_verb
    if clauses:
        start, end = clauses[-1].span()
        comma = before_verb.find(",", end)  # where the clause closed, if it did
        who = before_verb[end:] if comma == -1 else before_verb[:start] + before_verb[comma:]
    who = RELATIVE_CLAUSE.sub(",", who.rstrip() + ",").rstrip(", ")
    return BEFORE_VERB.sub("", who)


def who_after(tail):
    """The Mention after a quotation: “…,” said X / X said / she added / — X, Role."""
    tail = tail.strip().lstrip(",").strip()
    if match := DASH_LINE.match(tail):
        return read_mention(match.group("who"))
    tail = tail.lstrip("—–- ").rstrip(".!?;")
    if match := TAIL_ACCORDING_TO.match(tail):
        return read_mention(match.group("who"))
    if match := VERB_THEN_WHO.match(tail):
        return read_mention(match.group("who"))
    if match := WHO_THEN_VERB.match(tail):
        return read_mention(match.group("who"))
    return None


def is_attached(text, tail):
    """Whether the words after a quotation belong to its sentence (and may attribute it)."""
    rest = tail.lstrip()
    if not rest:
        return False
    if rest[0] in ",—–-;" or rest[0].islower() or text.rstrip()[-1:] in ",—–-":
        return True
    # “We will act.” Holt said. — a sentence that is only an attribution.
    sentence = first_sentence(rest)
    match = WHO_THEN_VERB.match(sentence.rstrip(".!? "))
    return bool(match) and not match.group("rest").strip() and len(sentence.split()) <= 12


class QuoteReader:
    """Reads the paragraphs in order, remembering who has been named and who spoke last."""

    def __init__(self, paragraphs, headings=()):
        self.paragraphs = paragraphs
        self.headings = set(headings)
        self.speakers = Speakers()
        self.current = None  # the attribution of the latest quotation, for the next one
        self.quotes = []
        self.by_paragraph = {}  # paragraph -> the quotations opening in it
        self.floor = {}  # paragraph -> where its own words start after a quotation into it

    def resolve(self, mention, evidence, new=True):
        if mention is None:
            return None
        found = self.speakers.resolve(mention, " ".join(evidence.split()), new)
        return Attribution(*found) if found else None

    def learn(self, text):
        """Take in the story's own words: who is named, and who is said to have said what."""
        for sentence in sentences(text):
            self.speakers.learn(sentence)
            # Reported speech (“Holt said the plan was fair.”) makes its speaker the one a
            # quotation without attribution after it belongs to.
            if VERB_IN_HEAD.search(sentence) and (
                found := self.resolve(who_before(sentence), sentence)
            ):
                self.current = found

    def attribute(self, span, head, tail):
        """Who said ``span``: its own sentence, the paragraph before, a line after, or the last."""
        evidence = f"{head}“{opening_words(span.text)}”{tail}".strip()
        if is_attached(span.text, tail) and (found := self.resolve(who_after(tail), evidence)):
            return found
        if found := self.resolve(who_before(head), evidence):
            return found
        opening = self.paragraphs[span.first]
        previous = span.first - 1
        if not opening[: span.start].strip() and previous >= 0 and previous not in self.headings:
            lead = last_sentence(self.paragraphs[previous]).strip()
            if lead.endswith(":") and (found := self.resolve(who_before(lead), lead)):
                return found
        closing, following = self.paragraphs[span.last], span.last + 1
        if span.end >= len(closing.rstrip()) and following < len(self.paragraphs):
            line = self.paragraphs[following].strip()
            if (match := DASH_LINE.match(line)) and (
                found := self.resolve(read_mention(match.group("who")), line)
            ):
                return found
        if self.current and self.current.name in self.speakers.recent[-1:]:
            return self.current
        if name := self.speakers.nearby():
            return self.resolve(Mention(name=name), self.speakers.named_in.get(name, ""))
        return self.current

    def read(self, limit=None):
        spans = quotation_spans(self.paragraphs)
        self.by_paragraph = {}
        for span in spans:
            self.by_paragraph.setdefault(span.first, []).append(span)
        self.floor = {}
        statement, taken = None, 0
        for index, paragraph in enumerate(self.paragraphs):
            if limit is not None and len(self.quotes) > limit:
                break
            self.speakers.paragraph = index
            if index in self.headings:
                statement = self.current = None
                continue
            if statement and self.continues_statement(index, statement, taken):
                self.add_to_statement(paragraph, statement, taken)
                taken += 1
                continue
            self.read_paragraph(index, limit)
            statement, taken = self.statement_after(index), 0
        return self.quotes if limit is None else self.quotes[: limit + 1]

    def read_paragraph(self, index, limit):
        """The quotations opening in paragraph ``index``, and its own words around them."""
        paragraph = self.paragraphs[index]
        here = self.by_paragraph.get(index, [])
        # Where the paragraph's own words start after the last quotation, and how far they
        # have been read: each word is read once, whatever the quotation marks.
        position = learned = self.floor.get(index, 0)
        for number, span in enumerate(here):
            reach = max(position, span.start + 1 - ATTRIBUTION_REACH)
            head = last_sentence(paragraph[reach : span.start + 1])[:-1]
            if span.start - len(head) > learned:
                self.learn(paragraph[learned : span.start - len(head)])
                learned = span.start - len(head)
            next_start = here[number + 1].start if number + 1 < len(here) else None
            tail = self.tail(span, next_start if span.last == index else None)
            if not is_quotation(span, head, tail):
                continue
            self.add(span.text, self.attribute(span, head, tail))
            self.learn(f"{head} {tail}")
            if span.last == index:
                position = learned = span.end + len(tail)
            else:
                self.floor[span.last] = span.end + len(tail)
            if limit is not None and len(self.quotes) > limit:
                return
        self.learn(paragraph[learned:])

    def tail(self, span, next_start):
        """The words after a quotation up to the end of its sentence (or the next quotation)."""
        paragraph = self.paragraphs[span.last]
        text = paragraph[span.end : next_start if next_start is not None else len(paragraph)]
        return first_sentence(text[:ATTRIBUTION_REACH])

    def statement_after(self, index):
        """The attribution of a statement led into by paragraph ``index`` (“X said:”), if any."""
        paragraph = self.paragraphs[index].rstrip()
        following = index + 1
        if (
            not paragraph.endswith(":")
            or following >= len(self.paragraphs)
            or following in self.headings
            or self.paragraphs[following][:1] in OPENING
        ):
            return None
        lead = last_sentence(paragraph)
        if any(ch in OPENING + CLOSING for ch in lead):
            return None
        return self.resolve(who_before(lead), lead)

    def continues_statement(self, index, statement, taken):
        """
        Whether paragraph ``index`` is still the statement's words, not the story's: the
        first paragraph after “X said:” is; the next ones are until the notes, a heading,
        another speaker, or a paragraph that speaks of the speaker or of someone saying.
        ``taken`` is the number of its paragraphs read so far.
        """
        paragraph = self.paragraphs[index]
        if STATEMENT_STOPS.match(paragraph) or DASH_LINE.match(paragraph):
            return False
        if any(mark in paragraph for mark in '“”«»"'):
            return False
        if paragraph.rstrip().endswith(":") and self.statement_after(index):
            return False
        if not taken:
            return True
        surname = statement.name.split()[-1] if statement.name else ""
        if surname and re.search(rf"\b{re.escape(surname)}\b", paragraph):
            return False
        if VERB_IN_HEAD.search(paragraph) and who_before(first_sentence(paragraph)):
            return False
        return bool(FIRST_PERSON.search(paragraph)) or not STORY_OPENING.match(paragraph)

    def add_to_statement(self, paragraph, statement, taken):
        """A statement's paragraphs are one quotation, as a quotation run over paragraphs is."""
        if taken:
            self.quotes[-1].text = f"{self.quotes[-1].text} {' '.join(paragraph.split())}"
        else:
            self.add(paragraph, statement)

    def add(self, text, found):
        self.quotes.append(make_quote(text, found, len(self.quotes) + 1))
        if found and found.name:
            self.current = found


def opening_words(text, count=6):
    """The start of a quotation, to show beside its attribution."""
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def is_whole_quotation(paragraph):
    text = paragraph.strip()
    return (
        len(text) > 2
        and text[0] in OPENING
        and text[-1] in CLOSING
        and not any(ch in OPENING + CLOSING for ch in text[1:-1].replace("'", ""))
    )


def find_quotes(paragraphs, limit=None, headings=()):
    """
    The quotations in ``paragraphs`` (those at the indexes ``headings`` are headings),
    each with its speaker if found; with ``limit``, no more than ``limit + 1`` of them
    (enough to tell there are too many).
    """
    return QuoteReader(paragraphs, headings).read(limit)


def make_quote(text, found, position):
    text = " ".join(text.split()).strip().rstrip(",").strip()
    if found:
        return ProposedQuote(
            text=text,
            speaker=found.name,
            role=found.role,
            position=position,
            evidence=found.evidence,
        )
    return ProposedQuote(text=text, position=position)
