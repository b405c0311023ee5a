"""
Named events and their dates, resolved against the article's own date.

An event is a noun that names a gathering (summit, conference, council, meeting, talks,
round, session, hearing, exercise, election, strike...) with the words before it that name
it (“the European Council”, “a leaders' summit”, “their informal meeting”) and after it
(“of EU fisheries ministers”, “on Ukraine”, “Steadfast Horizon 2025”). Its date is the
first date after it in its sentence when only a place, a complement or a few words of
scheduling come between (“in Luxembourg”, “, which took place in Geneva”, “starting”, “is
due to resume”): a date further on belongs to something else. What “took place” or “will
be held” is an event whatever its noun, and so is a meeting, a vote or a strike written
as a verb (“when they meet on 4 November”). The same body meeting on two dates is two
events.
"""

import calendar
import re
from itertools import islice

from articles.importer.dates import (
    DAY_FIRST,
    EXPLICIT_WEEKDAY,
    FULL_MONTHS,
    MONTH_FIRST,
    POSSESSIVE_DAY,
    WEEKDAY,
    date_in,
    first_date,
    tense_of,
)
from articles.importer.proposal import ProposedEvent
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
# Keywords strong enough to propose an event with no date (the editor adds one).
STRONG = re.compile(r"\b(?:Summit|Conference|Congress|Games|Olympics|Expo|Election|Referendum)")
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
WORD = re.compile(r"[\w’'-]+|,")
# The institutions themselves, written alone: “The Council agreed its position”. (The
# Eurogroup is its meetings: “The Eurogroup today discussed” is one.)
BODIES = {"council", "committee", "assembly"}
OPERATION = re.compile(r"\bOperation\s+(?P<code>[A-Z][\w-]+)")

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
# The ways a story's opening dates what it reports: a day, not a month or a year.
OPENING_DATES = (EXPLICIT_WEEKDAY, DAY_FIRST, MONTH_FIRST, WEEKDAY)
# A date before what it dates: “travels to Ottawa today (4 March) for talks”.
DATE_FOR = re.compile(r"^\)?\s+for\s+(?:the\s+|a\s+|an\s+)?$")

# A meeting, a vote or a strike written as a verb: “when they meet on 4 November”,
# “The Security Council met this morning”, “the committee will vote on … on 28 November”,
# “train drivers will strike for 48 hours from Sunday”; not “Holt met Dubois on Monday”.
EVENT_VERB = re.compile(
    r"\b(?P<verb>meet|meets|convene|convenes|reconvene|reconvenes|met|gather|gathers|gathered|"
    r"convened|vote|votes|strike|strikes|walk out|walks out|(?:took|take|takes|heard|hear|"
    r"hears) evidence)\b"
    r"(?=\s+(?:again\b|in\b|at\b|on\b|for\b|from\b|between\b|behind\b|\d|"
    r"(?:next|this|last)\s))"
)
VERB_NOUNS = {"vote": "vote", "votes": "vote", "strike": "strike", "strikes": "strike",
              "walk out": "walkout", "walks out": "walkout", "took evidence": "hearing",
              "take evidence": "hearing", "takes evidence": "hearing",
              "heard evidence": "hearing", "hear evidence": "hearing",
              "hears evidence": "hearing"}  # fmt: skip
# A meeting in the past is a body's sitting (“The Security Council met this morning”), not
# any people meeting (“Ministers met on Monday”, “Holt met Dubois”).
MET = {"met", "gathered", "convened"}
INFINITIVE = re.compile(r"\bto\s+$")
PASSIVE = re.compile(r"\b(?:be|been|being|is|are|was|were)\s+$")
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

# Gatherings of the same kind: “the summit on Thursday” is a day of “the meeting of 12-13
# December” and of “the European Council” on those days; a ministerial meeting during a
# conference is a gathering of its own.
KINDS = {
    "summit": "summit", "meeting": "summit", "council": "summit", "talks": "talks",
    "round": "talks", "negotiations": "talks", "session": "session", "plenary": "session",
    "hearing": "hearing", "conference": "conference", "exercise": "exercise",
}  # fmt: skip
# Between an event and its date only these may come, besides capitalised words (places,
# bodies) and up to a few words after a preposition or a verb of holding (“with the chief
# executives of three water companies”, “will hold its annual discussion on”): “ran into
# an extra day on Saturday” dates the day, not the talks.
PREPOSITIONS = {"in", "at", "of", "on", "for", "with", "between", "among", "near", "by",
                "from", "under", "about", "outside", "inside", "before", "after", "during",
                "following", "across", "within", "around", "over", "behind", "through"}  # fmt: skip
# A date after these is a deadline, not when something meets: “submit their plans to the
# Eurogroup by 15 October”.
DEADLINE = re.compile(r"\b(?:by|until|till|before|no later than)\s+(?:the\s+end\s+of\s+)?$")
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
WORDS_AFTER_A_PREPOSITION = 6
WORDS_HELD = 3
MAX_FILLER_WORDS = 24
REACH = 160  # characters after an event read for its date
# Mentions of events read in one story: past this many, the story is a list.
MAX_MENTIONS = 10 * MAX_IMPORT_EVENT_NAMES
WHERE_IT_HAPPENED = re.compile(
    r"\b(?:at|before|after|during|following|on the sidelines of)\s+(?:the\s+|a\s+|an\s+|its\s+|"
    r"their\s+|this\s+)?$",
    re.I,
)
PLACE = re.compile(r"\bin\s+(?P<place>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")
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


# The words between an event and its date


def is_filler(text):
    """Whether only a place, a complement or scheduling words stand in ``text``."""
    tokens = WORD.findall(text)
    if len(tokens) > MAX_FILLER_WORDS:
        return False
    budget = 0
    for token in tokens:
        lowered = token.lower()
        if token == ",":
            budget = 0
        elif lowered in PREPOSITIONS:
            budget = WORDS_AFTER_A_PREPOSITION
        elif lowered in HOLDING:
            budget = WORDS_HELD
        elif lowered in SCHEDULING:
            budget = 0  # “ran into an extra day”: a verb ends the complement
        elif lowered in DETERMINERS or token[0].isupper() or token[0].isdigit():
            continue
        elif budget and not lowered.endswith("ed"):  # “after the MP resigned in August”
            budget -= 1
        else:
            return False
    return True


# Naming an event


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


# Dating an event


def sentence_around(text, start, end):
    """The sentence holding text[start:end]: its beginning, and its end after ``end``."""
    begin = max(0, start - 400)
    ends_before = [m.end() for m in SENTENCE_END.finditer(text, begin, start)]
    if ends_before:
        begin = ends_before[-1]
    after = SENTENCE_END.search(text, end, end + REACH)
    return begin, after.start() if after else min(len(text), end + REACH)


def dates_after(text, start, end, published_on):
    """
    [(date, place, tense)] written just after the event at text[start:end]: the first
    date, and any more listed after it the same way (“the Conservatives in Manchester on
    1-4 October and Labour in Liverpool on 8-11 October”).
    """
    begin, stop = sentence_around(text, start, end)
    tense = tense_of(text[begin:stop])
    if text[start:end].lower() in VERB_NOUNS and INFINITIVE.search(text, start - 4, start):
        tense = "ahead"  # “Train drivers to strike from Sunday”: a headline's to-come
    if day := POSSESSIVE_DAY.match(text, start, end):  # “Thursday's summit”
        return [(date_in(WEEKDAY, WEEKDAY.match(day.group("day")), published_on, tense), "", tense)]
    found = []
    window = text[end:stop]
    while found_date := first_date(window):
        pattern, match = found_date
        between = window[: match.start()]
        if not is_filler(between) or EVENT_NOUN.search(between) or DEADLINE.search(between):
            break  # something else stands nearer the date, or another event, or it is due
        if date := date_in(pattern, match, published_on, tense):
            place = PLACE.search(between)
            found.append((date, place.group("place") if place else "", tense))
        window = window[match.end() :]
    if not found and (before := date_before(text, begin, start, published_on, tense)):
        found.append((before, "", tense))
    return found


def date_before(text, begin, start, published_on, tense):
    """A date just before the event, joined by “for”: “today (4 March) for talks”."""
    lead = text[max(begin, start - 60) : start]
    last, position = None, 0
    while found := first_date(lead[position:]):
        last = found
        position += found[1].end()
    if last and DATE_FOR.match(lead[position:]):
        return date_in(*last, published_on, tense)
    return None


def events_by_verb(text, published_on):
    """Meetings, votes and strikes written as verbs, each with its date."""
    for match in islice(EVENT_VERB.finditer(text), MAX_MENTIONS):
        if PASSIVE.search(text, max(0, match.start() - 12), match.start()):
            continue  # “the target may be met at any point”
        if match.group("verb") in MET and not BODY.search(
            text, sentence_around(text, match.start(), match.end())[0], match.start()
        ):
            continue  # people who met; a body that met sat
        dates = dates_after(text, match.start(), match.end(), published_on)
        if dates:
            name = verb_event_name(text, match.start(), VERB_NOUNS.get(match.group("verb")))
            yield name, dates[0]


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


def the_story_s_own_date(text, published_on, undated, taken):
    """
    The day the story opens on (“questioned by MPs on Tuesday (27 June 2023)”), if past,
    is the day of the first event named without one in its first two paragraphs as where
    something happened (“Appearing before the Environment Committee”, “after the meeting
    of NATO Defence Ministers”; not “called for emergency talks”), when no event took
    that day already.
    """
    paragraphs = text.split("\n\n", 3)
    if len(paragraphs) < 2:
        return None
    lead_start = len(paragraphs[0]) + 2
    lead_end = lead_start + len("\n\n".join(paragraphs[1:3]))
    found = first_date(paragraphs[1])
    if not found or found[0] not in OPENING_DATES:
        return None
    date = date_in(*found, published_on, None)
    if not date or date[0] in taken or date[0] > published_on:
        return None  # the story reports what happened, not what is to come
    for name, start in undated:
        if lead_start <= start < lead_end and WHERE_IT_HAPPENED.search(text, start - 40, start):
            return proposed(name, (date[0], None, "day"), published_on, None)
    return None


def proposed(name, date, published_on, tense, place=""):
    starts_on, ends_on, precision = date
    return ProposedEvent(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        date_precision=precision,
        kind=link_kind(starts_on, ends_on, published_on, {"ahead": True}.get(tense)),
        location=place,
    )


def link_kind(starts_on, ends_on, published_on, future):
    if future is True or (starts_on and starts_on > published_on):
        return "previews"
    if starts_on and starts_on <= published_on <= (ends_on or starts_on) and future is None:
        return "reports_on" if starts_on == published_on else "mentions"
    return "mentions"


def find_events(text, published_on, is_known=lambda name: False):
    """
    Events named in ``text``. An event with a date is proposed; one without a date only
    when its name holds a strong keyword (Summit, Conference...) or the newsroom already
    has an event of that name. At most MAX_IMPORT_EVENT_NAMES names are considered (and
    looked up with ``is_known``): a story naming more is a list, not a report.
    """
    found = {}  # (name, first day) -> ProposedEvent; None for the day of an undated one
    considered = {}  # name -> whether the newsroom has it, once asked
    undated = []  # (name, start) of events named without a date
    for raw_name, start, end in mentions(text)[:MAX_MENTIONS]:
        name = clean_name(raw_name)
        key = name.lower()
        if not name or key in BODIES:
            continue  # “The Council agreed”: the institution, not a meeting of it
        if key not in considered:
            if len(considered) >= MAX_IMPORT_EVENT_NAMES:
                break
            considered[key] = None
        if dates := dates_after(text, start, end, published_on):
            found.pop((key, None), None)
            for date, place, tense in dates:
                found.setdefault((key, date[0]), proposed(name, date, published_on, tense, place))
            continue
        if len(name.split()) < 2 or not name[0].isupper():
            continue
        undated.append((name, start))
        if any(known == key for known, _ in found):
            continue
        if not STRONG.search(name) and considered[key] is None:
            considered[key] = bool(is_known(name))
        if STRONG.search(name) or considered[key]:
            found[key, None] = ProposedEvent(name=name, kind="mentions")
    taken = {event.starts_on for event in found.values()}
    if own := the_story_s_own_date(text, published_on, undated, taken):
        found.pop((own.name.lower(), None), None)
        found[own.name.lower(), own.starts_on] = own
        taken.add(own.starts_on)
    for name, start, end in islice(held_subjects(text), MAX_MENTIONS):
        for date, place, tense in dates_after(text, start, end, published_on)[:1]:
            if date[0] not in taken:
                taken.add(date[0])
                found[name.lower(), date[0]] = proposed(name, date, published_on, tense, place)
    for name, (date, place, tense) in islice(events_by_verb(text, published_on), MAX_MENTIONS):
        if date[0] not in taken:
            taken.add(date[0])
            found[name.lower(), date[0]] = proposed(name, date, published_on, tense, place)
    events = without_repeats(list(found.values()))
    for match in OPERATION.finditer(text):
        if len(events) >= MAX_IMPORT_EVENT_NAMES:
            break
        name = f"Operation {match.group('code')}"
        if all(event.name != name for event in events):
            events.append(ProposedEvent(name=name, kind="mentions"))
    return events


def without_repeats(events):
    """
    Events less those another proposes more exactly: the day of a round already proposed
    over several days (“ended their latest round on Thursday”, “the round, which took
    place on 4-14 March”); an event known only to a month or year whose day is given
    elsewhere (“an EU summit later this month”, “a summit in Brussels on March 20-21”);
    and an event named only by its kind (“an all-night summit”) on the days of one of the
    same kind (“the European Council of 12-13 December”, “the meeting of 12-13 December”).
    """
    return [event for event in events if not any(repeats(event, other) for other in events)]


def repeats(event, other):
    """Whether ``other`` proposes ``event`` more exactly (see without_repeats)."""
    if other is event or not (event.starts_on and other.starts_on):
        return False
    names = event.name.lower(), other.name.lower()
    same_name = names[0].endswith(names[1]) or names[1].endswith(names[0])
    same_kind = kind_of(event.name) is not None and kind_of(event.name) == kind_of(other.name)
    if event.date_precision in ("month", "year"):
        return (
            other.date_precision == "day"
            and event.starts_on <= other.starts_on <= event.ends_on
            and (same_name or (is_generic(event.name) and same_kind))
        )
    if other.ends_on is None or other.date_precision != "day":
        return False
    within = other.starts_on <= event.starts_on and (event.ends_on or event.starts_on) <= (
        other.ends_on
    )
    if event.ends_on is None and names[0] == names[1]:
        return within  # a day of the same event's days
    return (
        within
        and is_generic(event.name)
        and same_kind
        and (event.ends_on is None or not is_generic(other.name))
    )


def kind_of(name):
    """The kind of gathering a name says, as one word for those that say the same."""
    for noun in reversed(name.lower().replace("-", " ").split()):
        if kind := KINDS.get(noun):
            return kind
    return None


def is_generic(name):
    """A name that says only what kind of event it is: “All-night summit”, “Meeting”."""
    return not any(ch.isupper() for ch in name[1:])
