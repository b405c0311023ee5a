"""
What names a gathering in a story: a noun (summit, conference, council, meeting, talks,
round, session, hearing, exercise, election, strike...) with the words before it that name
it (“the European Council”, “a leaders' summit”, “their informal meeting”) and after it
(“of EU fisheries ministers”, “on Ukraine”, “Steadfast Horizon 2025”); what “took place”
or “will be held”, whatever its noun; and who meets, when a meeting is a verb. The words
that may stand between a gathering and its date are listed here too, for events.py.
"""

import calendar
import re
from itertools import islice

from articles.importer.dates import FULL_MONTHS, POSSESSIVE_DAY
from articles.limits import MAX_IMPORT_EVENT_NAMES

# Nouns that name a gathering. Council and Committee name one only with a capital: a city
# council is a body, not a meeting.
EVENT_NOUN = re.compile(
    r"\b(?:(?i:summits?|conferences?|congress|meetings?|talks|sessions?|round|retreat|"
    r"hearings?|forum|assembly|convention|plenary|negotiations|games|olympics|expo|"
    r"elections?|referendum|festival|symposium|dialogue|ministerial|consultations|"
    r"exercises?|strikes?|walkouts?|hustings|briefings?|polls|gatherings?|ceremony|"
    r"ceremonies|votes?|protests?|rally|rallies|demonstrations?)"
    r"|march|marches|Council|Committee|Eurogroup|Euro Summit)\b"
)
# Nouns followed by the event's own name: “exercise Steadfast Horizon 2025”.
NAMED_AFTER = {"exercise", "operation"}
TRAILING_NAME = re.compile(r"(?:\s+(?:[A-Z][\w’'-]*|\d{4}))+")
# Words written before an event's noun that name it, besides capitalised words.
MODIFIERS = {
    "annual", "informal", "formal", "extraordinary", "international", "ministerial", "further",
    "first", "second", "third", "final", "joint", "special", "emergency", "plenary",
    "bilateral", "trilateral", "regional", "global", "climate", "donors", "pledging",
    "negotiating", "virtual", "public", "parliamentary", "select", "trade", "peace", "energy",
    "defence", "defense", "health", "finance", "fisheries", "foreign", "leaders", "ministers",
    "budget", "security", "high-level", "pre-conference", "working", "closing", "opening",
    "spring", "summer", "autumn", "winter", "general", "presidential", "local", "national",
    "resumed", "technical", "expert", "board", "council", "committee", "cabinet", "round",
    "agreement", "pandemic", "treaty", "accession", "coordination", "donor", "ministerial-level",
    "military", "naval", "air", "drivers", "workers", "staff", "nurses", "doctors",
}  # fmt: skip
# Capitalised words that start a sentence or a phrase without naming anything.
NOT_PART_OF_A_NAME = {
    "the", "a", "an", "at", "in", "on", "its", "their", "this", "that", "these", "both",
    "when", "after", "before", "during", "and", "but", "while", "since", "until", "for", "of",
    "from", "to", "with", "by", "as", "next", "last", "every", "each", "his", "her", "our",
}  # fmt: skip
JOINING = {"and", "of", "for", "on"}
# A descriptive word written in capitals before a name: “UK-hosted”, “EU-led”.
DESCRIPTOR = re.compile(r"^\w+-(?:hosted|led|backed|organised|organized|sponsored)$", re.I)
# The institutions themselves, written alone: “The Council agreed its position”. (The
# Eurogroup is its meetings: “The Eurogroup today discussed” is one.)
BODIES = {"council", "committee", "assembly"}
# What took place, or will, is an event whatever its noun: “Steadfast Dawn, which took
# place in Poland”, “A day for accredited journalists will be held at the Tapa area”.
HELD = (
    r"took place|was held|were held|will take place|will be held|is to be held|takes place|"
    r"is held|are held|is taking place"
)
# (Names start where a word starts, and a word is never given back letter by letter: on
# a long run of capitals each would be read again from every letter.)
WHICH_WAS_HELD = re.compile(
    rf"(?<![\w’'-])(?P<name>(?:[A-Z][\w’'-]*+\s+){{0,4}}[A-Z][\w’'-]*+),\s+which\s+(?:{HELD})\b"
)
WAS_HELD = re.compile(rf"\b(?:{HELD})\b")
# Who meets: the words just before the verb, less the words of tense.
SUBJECT = re.compile(
    r"(?P<who>(?:[\w’'-]+[ \t]+){0,3}?[\w’'-]+)[ \t]+(?:(?:are|is|were|was|will|would|due|to|"
    r"set|expected|again|also|then|have|has|had|be|been|shall)[ \t]+)*$"
)
BODY = re.compile(
    r"\b(?:[A-Z][\w’'-]*\s+)*(?:Eurogroup|Council|Committee|Group|Assembly|Parliament|Cabinet|"
    r"Team|Board|Panel|Bureau|Senate|Congress|Commission|Task Force|Coalition|Alliance|"
    r"College|Quartet|G7|G20)\b"
)
# Between an event and its date only these may come, besides capitalised words (places,
# bodies) and up to a few words after a preposition or a verb of holding (“with the chief
# executives of three water companies”, “will hold its annual discussion on”): “ran into
# an extra day on Saturday” dates the day, not the talks.
PREPOSITIONS = {"in", "at", "of", "on", "for", "with", "between", "among", "near", "by",
                "from", "under", "about", "outside", "inside", "before", "after", "during",
                "following", "across", "within", "around", "over", "behind", "through"}  # fmt: skip
HOLDING = {"hold", "holds", "host", "hosts", "organise", "organises", "organize", "organizes"}
DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "three", "two"}
SCHEDULING = {
    "which", "where", "when", "took", "take", "takes", "taking", "place", "was", "were", "is",
    "are", "be", "been", "being", "will", "would", "shall", "has", "have", "had", "held",
    "due", "scheduled", "set", "planned", "expected", "to", "run", "runs", "ran", "running",
    "start", "starts", "started", "starting", "begin", "begins", "began", "beginning", "open",
    "opens", "opened", "opening", "end", "ends", "ended", "close", "closes", "closed", "meet",
    "meets", "met", "convene", "convenes", "convened", "resume", "resumes", "resumed",
    "reconvene", "reconvenes", "again", "also", "now", "then", "originally", "initially",
    "provisionally", "hosted", "chaired", "organised", "organized", "co-hosted", "co-chaired",
    "jointly", "finally", "eventually", "and", "ending", "lasting", "lasts", "postponed",
    "delayed", "moved", "rescheduled", "brought", "forward", "pushed", "back", "concluded",
    "concludes", "adjourned", "collapsed", "continue", "continues", "continued", "kicks",
    "kicked", "off", "gets", "got", "under", "way", "wrapped", "up",
}  # fmt: skip
REACH = 160  # characters after an event read for its date
# Mentions of events read in one story: past this many, the story is a list.
MAX_MENTIONS = 10 * MAX_IMPORT_EVENT_NAMES
SENTENCE_END = re.compile(r"[.!?](?=\s+[“\"A-Z(]|\s*$)|\n")
# A complement stops at a date in words too: “another round of talks next month”.
DATE_WORDS = {"next", "last", "this", "later", "earlier", "today", "tomorrow", "yesterday",
              "tonight"}  # fmt: skip
NOT_IN_A_COMPLEMENT = "|".join(
    sorted(PREPOSITIONS | SCHEDULING | DATE_WORDS | {"that", "to", "and"})
)
COMPLEMENT = re.compile(
    r"\s+(?:of|on|for)\s+(?:the\s+)?(?![\d(])(?!(?:"
    + "|".join(FULL_MONTHS)
    + "|"
    + "|".join(calendar.day_name)
    + rf")\b)(?:[\w’'-]+)(?:\s+(?!(?:{NOT_IN_A_COMPLEMENT})\b)(?![\d(])[\w’'-]+){{0,3}}"
)


def name_start(text, start):
    """Where the words naming the event begin, before its noun at ``start``."""
    offset = max(0, start - 80)
    words = list(re.finditer(r"[\w’'-]+(?:[’'](?!\w))?", text[offset:start]))
    begin = start
    for match in reversed(words[-8:]):
        word = match.group(0)
        between = text[offset + match.end() : begin]
        # A comma ends the name, unless it lists capitalised words (“Environment, Food and
        # Rural Affairs Committee”); a mark or a paragraph's end always does.
        listed = between == ", " and word[0].isupper() and " and " in text[begin:start]
        if (between.strip() and not listed) or "\n" in between:
            break
        lowered = word.lower().strip("’'")
        if (
            lowered in JOINING
            and text[begin : begin + 1].isupper()
            and word_before_is_capitalised(text, offset + match.start())
        ):
            begin = offset + match.start()
            continue  # “Flood and Coast Conference”
        if lowered in NOT_PART_OF_A_NAME or DESCRIPTOR.match(word) or not names_it(word):
            break
        begin = offset + match.start()
    return begin


def names_it(word):
    """Whether a word before an event's noun is part of its name."""
    lowered = word.lower().strip("’'")
    return (
        word[0].isupper()
        or word[0].isdigit()
        or word.endswith(("’", "'", "’s", "'s"))
        or "-" in word
        or lowered.removesuffix("s") in MODIFIERS
        or lowered in MODIFIERS
        or lowered.endswith(("al", "ic", "ary", "ive"))
    )


def word_before_is_capitalised(text, start):
    before = text[max(0, start - 40) : start].split()
    return (
        bool(before) and before[-1][:1].isupper() and before[-1].lower() not in NOT_PART_OF_A_NAME
    )


def clean_name(name):
    name = POSSESSIVE_DAY.sub("", name)
    words = name.split()
    while words and (DESCRIPTOR.match(words[0]) or words[0].lower() in NOT_PART_OF_A_NAME):
        words = words[1:]
    name = " ".join(words)
    return name[:1].upper() + name[1:]


def mentions(text):
    """(name, start, end) of each event named in ``text``, in order."""
    found = []
    nouns = list(EVENT_NOUN.finditer(text))
    covered = 0
    for number, noun in enumerate(nouns):
        if noun.start() < covered:
            continue  # inside the name before: “a session of the NATO-Ukraine Council”
        following = nouns[number + 1] if number + 1 < len(nouns) else None
        if following and not text[noun.end() : following.start()].strip():
            continue  # “Council meetings”: the last noun names the event
        end = noun.end()
        if noun.group(0).lower() in NAMED_AFTER and (name := TRAILING_NAME.match(text, end)):
            end = name.end()
        elif complement := COMPLEMENT.match(text, end):
            end = complement.end()
        start = name_start(text, noun.start())
        found.append((text[start:end], start, end))
        covered = end
    for match in islice(WHICH_WAS_HELD.finditer(text), MAX_MENTIONS):
        if not any(start <= match.start() < end for _, start, end in found):
            found.append((match.group("name"), match.start(), match.end("name")))
    return sorted(found, key=lambda mention: mention[1])


def held_subjects(text):
    """(name, start, end) of what “will be held” or “took place”, named by its subject."""
    for verb in islice(WAS_HELD.finditer(text), MAX_MENTIONS):
        begin, _ = sentence_around(text, verb.start(), verb.end())
        clause = text[begin : verb.start()].rsplit(",", 1)[-1]
        words = clause.split()
        if (
            0 < len(words) <= 8
            and words[0].lower() not in {"which", "that", "who", "it", "they", "this"}
            and not EVENT_NOUN.search(clause)
        ):
            yield clean_name(clause.strip()), verb.start(), verb.end()


def sentence_around(text, start, end):
    """The sentence holding text[start:end]: its beginning, and its end after ``end``."""
    begin = max(0, start - 400)
    ends_before = [m.end() for m in SENTENCE_END.finditer(text, begin, start)]
    if ends_before:
        begin = ends_before[-1]
    after = SENTENCE_END.search(text, end, end + REACH)
    return begin, after.start() if after else min(len(text), end + REACH)


def verb_event_name(text, start, noun):
    """
    “Ministers met” → “Meeting of ministers”; “The Eurogroup meets” → “Eurogroup meeting”;
    “the committee will vote” → “Committee vote”; “when they meet” → the body the story
    spoke of last, or just “Meeting”.
    """
    subject = SUBJECT.search(text, max(0, start - 80), start)
    words = subject.group("who").split() if subject else []
    while words and words[0].lower() in NOT_PART_OF_A_NAME:
        words = words[1:]
    who = " ".join(words)
    if words and words[-1].lower() not in {"they", "we", "it", "who", "which"}:
        if noun:
            return clean_name(f"{who} {noun}")
        if BODY.fullmatch(who):
            return f"{who} meeting"
        return f"Meeting of {who if who[:2].isupper() else who[:1].lower() + who[1:]}"
    bodies = list(BODY.finditer(text, max(0, start - 800), start))
    body = clean_name(bodies[-1].group(0)) if bodies else ""
    return clean_name(f"{body} {noun or 'meeting'}")
