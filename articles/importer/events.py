"""
Named events and their dates, resolved against the article's own date.

An event is a gathering (gatherings.py) with the first date after it in its sentence,
when only a place, a complement or a few words of scheduling come between (“in
Luxembourg”, “, which took place in Geneva”, “starting”, “is due to resume”): a date
further on belongs to something else. A meeting, a vote or a strike written as a verb
(“when they meet on 4 November”) is an event too. The same body meeting on two dates is
two events; the same event written twice, more and less exactly, is one.
"""

import re
from itertools import islice

from articles.importer.dates import (
    DAY_FIRST,
    EXPLICIT_WEEKDAY,
    MONTH_FIRST,
    POSSESSIVE_DAY,
    WEEKDAY,
    date_in,
    first_date,
    tense_of,
)
from articles.importer.gatherings import (
    BODIES,
    BODY,
    DETERMINERS,
    EVENT_NOUN,
    HOLDING,
    MAX_MENTIONS,
    PREPOSITIONS,
    SCHEDULING,
    clean_name,
    held_subjects,
    mentions,
    sentence_around,
    verb_event_name,
)
from articles.importer.proposal import ProposedEvent
from articles.limits import MAX_IMPORT_EVENT_NAMES

# Keywords strong enough to propose an event with no date (the editor adds one).
STRONG = re.compile(r"\b(?:Summit|Conference|Congress|Games|Olympics|Expo|Election|Referendum)")
WORD = re.compile(r"[\w’'-]+|,")
OPERATION = re.compile(r"\bOperation\s+(?P<code>[A-Z][\w-]+)")
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
# Gatherings of the same kind: “the summit on Thursday” is a day of “the meeting of 12-13
# December” and of “the European Council” on those days; a ministerial meeting during a
# conference is a gathering of its own.
KINDS = {
    "summit": "summit", "meeting": "summit", "council": "summit", "talks": "talks",
    "round": "talks", "negotiations": "talks", "session": "session", "plenary": "session",
    "hearing": "hearing", "conference": "conference", "exercise": "exercise",
}  # fmt: skip
# A date after these is a deadline, not when something meets: “submit their plans to the
# Eurogroup by 15 October”.
DEADLINE = re.compile(r"\b(?:by|until|till|before|no later than)\s+(?:the\s+end\s+of\s+)?$")
WORDS_AFTER_A_PREPOSITION = 6
WORDS_HELD = 3
MAX_FILLER_WORDS = 24
WHERE_IT_HAPPENED = re.compile(
    r"\b(?:at|before|after|during|following|on the sidelines of)\s+(?:the\s+|a\s+|an\s+|its\s+|"
    r"their\s+|this\s+)?$",
    re.I,
)
PLACE = re.compile(r"\bin\s+(?P<place>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")


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
