"""
Named events and their dates, resolved against the article's own date.

An event is a noun that names a gathering (summit, conference, council, meeting, talks,
round, session, hearing, committee...) with the words before it that name it (“the
European Council”, “a leaders' summit”, “their informal meeting”) and after it (“of EU
fisheries ministers”, “on Ukraine”). Its date is the first date after it in its sentence,
when only a place, a complement or a few words of scheduling come between (“in
Luxembourg”, “, which took place in Geneva”, “starting”, “is due to resume”): a date
further on belongs to something else. The same body meeting on two dates is two events.
"""

import calendar
import datetime
import re

from articles.importer.proposal import ProposedEvent
from articles.limits import MAX_IMPORT_EVENT_NAMES

FULL_MONTHS = [name for name in calendar.month_name if name]
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
MONTH = r"(?:" + "|".join(FULL_MONTHS) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
FULL_MONTH = r"(?:" + "|".join(FULL_MONTHS) + r")\b"
DAY_NAME = "(?:" + "|".join(calendar.day_name) + ")"
WEEKDAYS = [name.lower() for name in calendar.day_name]
ORDINAL = r"(?:st|nd|rd|th)?"
DAY = rf"\d{{1,2}}(?!\d){ORDINAL}"

# The ways a date is written after an event, each read by date_in().
EXPLICIT_WEEKDAY = re.compile(  # “on Tuesday (27 June 2023)”, “on Tuesday 27 June”
    rf"\b{DAY_NAME},?\s*\(?\s*(?P<day>{DAY})\s+(?P<month>{MONTH})(?:,?\s+(?P<year>\d{{4}}))?\s*\)?"
)
DAY_FIRST = re.compile(  # “16 June”, “13-14 October 2025”, “10 to 21 November”, “30 Nov-2 Dec”
    rf"\b(?P<day>{DAY})(?:\s*(?:[-–]|to|and|until)\s*(?P<last_day>{DAY}))?\s+(?P<month>{MONTH})"
    rf"(?:\s*(?:[-–]|to|until)\s*(?P<end_day>{DAY})\s+(?P<end_month>{MONTH}))?"
    rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)
MONTH_FIRST = re.compile(  # “November 29”, “Oct 13-14, 2025”
    rf"\b(?P<month>{MONTH})\s+(?P<day>{DAY})(?:\s*[-–]\s*(?P<last_day>{DAY}))?"
    rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)
MONTH_ONLY = re.compile(  # “in June”, “of October 2014”, “in February and March”
    rf"\b(?:in|of|during|for)\s+(?:(?:early|late|mid)[\s-]+)?(?P<month>{FULL_MONTH})"
    rf"(?:\s+(?:and|or|to)\s+(?P<end_month>{FULL_MONTH}))?(?:\s+(?P<year>\d{{4}})(?!\d))?"
)
WEEKDAY = re.compile(rf"\b(?:(?P<which>next|last|this)\s+)?(?P<weekday>{DAY_NAME})\b")
RELATIVE = re.compile(
    r"\b(?P<when>later this year|earlier this year|this year|next year|last year|next month"
    r"|last month|later this month|earlier this month|this month|today|tomorrow|yesterday)\b"
)
DATE_PATTERNS = [EXPLICIT_WEEKDAY, DAY_FIRST, MONTH_FIRST, MONTH_ONLY, WEEKDAY, RELATIVE]

# Nouns that name a gathering. Council and Committee name one only with a capital: a city
# council is a body, not a meeting.
EVENT_NOUN = re.compile(
    r"\b(?:(?i:summits?|conferences?|congress|meetings?|talks|sessions?|round|retreat|"
    r"hearings?|forum|assembly|convention|plenary|negotiations|games|olympics|expo|"
    r"elections?|referendum|festival|symposium|dialogue|ministerial|consultations)"
    r"|Council|Committee|Eurogroup|Euro Summit)\b"
)
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
}  # fmt: skip
# Capitalised words that start a sentence or a phrase without naming anything.
NOT_PART_OF_A_NAME = {
    "the", "a", "an", "at", "in", "on", "its", "their", "this", "that", "these", "both",
    "when", "after", "before", "during", "and", "but", "while", "since", "until", "for", "of",
    "from", "to", "with", "by", "as", "next", "last", "every", "each", "his", "her", "our",
}  # fmt: skip
# A descriptive word written in capitals before a name: “UK-hosted”, “EU-led”.
DESCRIPTOR = re.compile(r"^\w+-(?:hosted|led|backed|organised|organized|sponsored)$", re.I)
WORD = re.compile(r"[\w’'-]+|,")
# The institutions themselves, written alone: “The Council agreed its position”.
BODIES = {"council", "committee", "eurogroup", "assembly"}
# A meeting written as a verb: “when they meet on 4 November”, “Ministers met in
# Luxembourg on 20 June”; not “Holt met Dubois on Monday”.
MEETING_VERB = re.compile(
    r"\b(?:meet|meets|convene|convenes|reconvene|reconvenes|met|gathered|convened)\b"
    r"(?=\s+(?:again\b|in\b|at\b|on\b|for\b|from\b|between\b|\d|(?:next|this|last)\s))"
)
PASSIVE = re.compile(r"\b(?:be|been|being|is|are|was|were)\s+$")
# Who meets: the words just before the verb, less the words of tense.
SUBJECT = re.compile(
    r"(?P<who>(?:[\w’'-]+[ \t]+){0,3}?[\w’'-]+)[ \t]+(?:(?:are|is|were|was|will|would|due|to|"
    r"set|expected|again|also|then|have|has|had|be|been|shall)[ \t]+)*$"
)
BODY = re.compile(
    r"\b(?:[A-Z][\w’'-]*\s+)*(?:Eurogroup|Council|Committee|Group|Assembly|Parliament|Cabinet)\b"
)
OPERATION = re.compile(r"\bOperation\s+(?P<code>[A-Z][\w-]+)")

# Between an event and its date only these may come, besides capitalised words (places,
# bodies) and up to a few words after a preposition (“with the chief executives of three
# water companies”): “ran into an extra day on Saturday” dates the day, not the talks.
PREPOSITIONS = {"in", "at", "of", "on", "for", "with", "between", "among", "near", "by",
                "from", "under", "about", "outside", "inside"}  # fmt: skip
DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "three", "two"}
SCHEDULING = {
    "which", "where", "when", "took", "take", "takes", "taking", "place", "was", "were", "is",
    "are", "be", "been", "being", "will", "would", "shall", "has", "have", "had", "held",
    "hold", "holds", "due",
    "scheduled", "set", "planned", "expected", "to", "run", "runs", "ran", "running", "start",
    "starts", "started", "starting", "begin", "begins", "began", "beginning", "open", "opens",
    "opened", "opening", "end", "ends", "ended", "close", "closes", "closed", "meet", "meets",
    "met", "convene", "convenes", "convened", "resume", "resumes", "resumed", "reconvene",
    "reconvenes", "again", "also", "now", "then", "originally", "initially", "provisionally",
    "hosted", "chaired", "organised", "organized", "co-hosted", "co-chaired", "jointly",
    "finally", "eventually", "and", "ending", "lasting", "lasts",
}  # fmt: skip
WORDS_AFTER_A_PREPOSITION = 6
MAX_FILLER_WORDS = 24
REACH = 160  # characters after an event read for its date
# Mentions of events read in one story: past this many, the story is a list.
MAX_MENTIONS = 10 * MAX_IMPORT_EVENT_NAMES

# Tense, for a day written without a year: ahead of the story's date, or behind it.
AHEAD = re.compile(
    r"\b(?:will|shall|due|scheduled|upcoming|forthcoming|next|ahead|later|opens|starts|"
    r"begins|starting|expected|planned|to be held|is to|are to|set to|meets|resumes|"
    r"return)\b",
    re.I,
)
BEHIND = re.compile(
    r"\b(?:took place|was held|were held|last|had|was|were|met|ended|agreed|pledged|joined|"
    r"presented|earlier|previous|since|ago|welcomed|reached|adopted|followed|began)\b",
    re.I,
)
# A date this close to the story's is meant, whatever the tense of its sentence says.
CLOSE_ENOUGH_DAYS = 120
WHERE_IT_HAPPENED = re.compile(
    r"\b(?:at|before|after|during|following|on the sidelines of)\s+(?:the\s+|a\s+|an\s+|its\s+|"
    r"their\s+|this\s+)?$",
    re.I,
)
PLACE = re.compile(r"\bin\s+(?P<place>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")
PLACE = re.compile(r"\bin\s+(?P<place>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")
# A day written before the event: “Thursday's summit”.
POSSESSIVE_DAY = re.compile(rf"(?P<day>{DAY_NAME})[’']s\s+")
SENTENCE_END = re.compile(r"[.!?](?=\s+[“\"A-Z(]|\s*$)|\n")


def resolve_day(day, month, year, published_on, tense=None):
    """
    A day named without a year: the nearest such day to the article's date if it is a
    few months away at most; otherwise the first one after it when the sentence looks
    ahead, the last one before it when it looks back, or else the nearest.
    """
    if year:
        return datetime.date(int(year), month, day)
    this_year = datetime.date(published_on.year, month, day)
    before = this_year if this_year <= published_on else this_year.replace(year=this_year.year - 1)
    after = this_year if this_year >= published_on else this_year.replace(year=this_year.year + 1)
    nearest = before if (published_on - before) <= (after - published_on) else after
    if abs((nearest - published_on).days) <= CLOSE_ENOUGH_DAYS or tense is None:
        return nearest
    return after if tense == "ahead" else before


def last_day(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def weekday_near(weekday, published_on, future):
    """“On Thursday”: the coming one when the story looks ahead, else the latest one."""
    offset = WEEKDAYS.index(weekday.lower()) - published_on.weekday()
    if future:
        return published_on + datetime.timedelta(days=offset % 7 or 7)
    return published_on - datetime.timedelta(days=(-offset) % 7)


def tense_of(sentence):
    ahead, behind = bool(AHEAD.search(sentence)), bool(BEHIND.search(sentence))
    if ahead != behind:
        return "ahead" if ahead else "behind"
    return None


def first_date(text):
    """The earliest date written in ``text``: (pattern, match), or None."""
    found = []
    for order, pattern in enumerate(DATE_PATTERNS):
        if match := pattern.search(text):
            found.append((match.start(), -len(match.group(0)), order, pattern, match))
    if not found:
        return None
    *_, pattern, match = min(found, key=lambda item: item[:3])
    return pattern, match


def number(day):
    """The number of a day as written: “21st” is 21."""
    return int(re.match(r"\d+", day).group(0))


def date_in(pattern, match, published_on, tense):
    """(starts_on, ends_on, precision) for a date ``match`` of ``pattern``, or None."""
    groups = match.groupdict()
    try:
        if pattern in (EXPLICIT_WEEKDAY, DAY_FIRST, MONTH_FIRST):
            month = MONTHS[groups["month"].lower().rstrip(".")]
            starts = resolve_day(number(groups["day"]), month, groups["year"], published_on, tense)
            ends = None
            if groups.get("end_day"):
                end_month = MONTHS[groups["end_month"].lower().rstrip(".")]
                ends = datetime.date(starts.year, end_month, number(groups["end_day"]))
            elif groups.get("last_day"):
                ends = starts.replace(day=number(groups["last_day"]))
            if ends and ends < starts:
                ends = ends.replace(year=ends.year + 1)  # “28 December to 3 January”
            return starts, ends, "day"
        if pattern is MONTH_ONLY:
            first = MONTHS[groups["month"].lower()]
            last = MONTHS[(groups["end_month"] or groups["month"]).lower()]
            if groups["year"]:
                year = int(groups["year"])
            else:
                year = resolve_day(1, first, None, published_on.replace(day=1), tense).year
            return datetime.date(year, first, 1), last_day(year, last), "month"
        if pattern is WEEKDAY:
            future = groups["which"] == "next" or (groups["which"] != "last" and tense == "ahead")
            return weekday_near(groups["weekday"], published_on, future), None, "day"
        return relative_date(groups["when"].lower(), published_on)
    except ValueError:
        return None  # “31 February”: no date rather than a wrong one


def relative_date(when, published_on):
    year = published_on.year
    one_day = datetime.timedelta(days=1)
    if when in ("today", "tomorrow", "yesterday"):
        shift = {"today": 0, "tomorrow": 1, "yesterday": -1}[when]
        return published_on + shift * one_day, None, "day"
    if when == "later this year":
        return published_on + one_day, datetime.date(year, 12, 31), "year"
    if when in ("this year", "earlier this year", "next year", "last year"):
        year += {"next year": 1, "last year": -1}.get(when, 0)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year"
    if when == "later this month":
        return published_on + one_day, last_day(year, published_on.month), "month"
    month = published_on.month + {"next month": 1, "last month": -1}.get(when, 0)
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, 1), last_day(year, month), "month"


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
        elif lowered in SCHEDULING:
            budget = 0  # “ran into an extra day”: a verb ends the complement
        elif lowered in DETERMINERS or token[0].isupper() or token[0].isdigit():
            continue
        elif budget:
            budget -= 1
        else:
            return False
    return True


def name_start(text, start):
    """Where the words naming the event begin, before its noun at ``start``."""
    words = list(re.finditer(r"[\w’'-]+(?:[’'](?!\w))?", text[max(0, start - 80) : start]))
    begin = start
    offset = max(0, start - 80)
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
            and words_before_capitalised(text, offset + match.start())
        ):
            begin = offset + match.start()
            continue  # “Flood and Coast Conference”
        if lowered in NOT_PART_OF_A_NAME or DESCRIPTOR.match(word):
            break
        if not (
            word[0].isupper()
            or word[0].isdigit()
            or word.endswith(("’", "'", "’s", "'s"))
            or "-" in word
            or lowered.removesuffix("s") in MODIFIERS
            or lowered in MODIFIERS
            or lowered.endswith(("al", "ic", "ary", "ive"))
        ):
            break
        begin = offset + match.start()
    return begin


JOINING = {"and", "of", "for", "on"}


def words_before_capitalised(text, start):
    before = text[max(0, start - 40) : start].split()
    return (
        bool(before) and before[-1][:1].isupper() and before[-1].lower() not in NOT_PART_OF_A_NAME
    )


NOT_IN_A_COMPLEMENT = "|".join(sorted(PREPOSITIONS | SCHEDULING | {"that", "to", "and"}))
COMPLEMENT = re.compile(
    r"\s+(?:of|on|for)\s+(?:the\s+)?(?![\d(])(?!(?:"
    + "|".join(FULL_MONTHS)
    + "|"
    + "|".join(calendar.day_name)
    + rf")\b)(?:[\w’'-]+)(?:\s+(?!(?:{NOT_IN_A_COMPLEMENT})\b)(?![\d(])[\w’'-]+){{0,3}}"
)


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
        if complement := COMPLEMENT.match(text, end):
            end = complement.end()
        start = name_start(text, noun.start())
        found.append((text[start:end], start, end))
        covered = end
    return found


def clean_name(name):
    name = POSSESSIVE_DAY.sub("", name)
    words = name.split()
    while words and (DESCRIPTOR.match(words[0]) or words[0].lower() in NOT_PART_OF_A_NAME):
        words = words[1:]
    name = " ".join(words)
    return name[:1].upper() + name[1:]


def link_kind(starts_on, ends_on, published_on, future):
    if future is True or (starts_on and starts_on > published_on):
        return "previews"
    if starts_on and starts_on <= published_on <= (ends_on or starts_on) and future is None:
        return "reports_on" if starts_on == published_on else "mentions"
    return "mentions"


def sentence_around(text, start, end):
    """The sentence holding text[start:end]: its beginning, and its end after ``end``."""
    begin = max(0, start - 400)
    ends_before = [m.end() for m in SENTENCE_END.finditer(text, begin, start)]
    if ends_before:
        begin = ends_before[-1]
    after = SENTENCE_END.search(text, end, end + REACH)
    return begin, after.start() if after else min(len(text), end + REACH)


def dated(text, start, end, published_on):
    """The date written just after the event at text[start:end], with its place and tense."""
    begin, stop = sentence_around(text, start, end)
    tense = tense_of(text[begin:stop])
    if day := POSSESSIVE_DAY.match(text, start, end):  # “Thursday's summit”
        return date_in(WEEKDAY, WEEKDAY.match(day.group("day")), published_on, tense), "", tense
    window = text[end:stop]
    found = first_date(window)
    if not found or not is_filler(window[: found[1].start()]):
        return None, "", None
    pattern, match = found
    if EVENT_NOUN.search(window[: match.start()]):
        return None, "", None  # another event stands nearer the date
    date = date_in(pattern, match, published_on, tense)
    place = PLACE.search(window[: match.start()])
    return date, place.group("place") if place else "", tense


def meetings_by_verb(text, published_on, taken):
    """
    Meetings written as a verb (“when they meet on 4 November”), named after the body
    spoken of last before them; none on a day an event already has.
    """
    for match in MEETING_VERB.finditer(text):
        if PASSIVE.search(text, max(0, match.start() - 12), match.start()):
            continue  # “the target may be met at any point”
        date, place, tense = dated(text, match.start(), match.end(), published_on)
        if date is None or date[0] in taken:
            continue
        taken.add(date[0])
        yield proposed(meeting_name(text, match.start()), date, published_on, tense, place)


def meeting_name(text, start):
    """
    “Ministers met” → “Meeting of ministers”; “The Eurogroup meets” → “Eurogroup meeting”;
    “when they meet” → the body the story spoke of last, or just “Meeting”.
    """
    subject = SUBJECT.search(text, max(0, start - 80), start)
    words = subject.group("who").split() if subject else []
    while words and words[0].lower() in NOT_PART_OF_A_NAME:
        words = words[1:]
    if words and words[-1].lower() not in {"they", "we", "it", "who", "which"}:
        who = " ".join(words)
        if BODY.fullmatch(who):
            return f"{who} meeting"
        return f"Meeting of {who[:1].lower() + who[1:] if not who[:2].isupper() else who}"
    bodies = list(BODY.finditer(text, max(0, start - 800), start))
    return f"{clean_name(bodies[-1].group(0))} meeting" if bodies else "Meeting"


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
    if not found or found[0] not in (EXPLICIT_WEEKDAY, DAY_FIRST, MONTH_FIRST, WEEKDAY):
        return None
    date = date_in(*found, published_on, None)
    if not date or date[0] in taken or date[0] > published_on:
        return None  # the story reports what happened, not what is to come
    for name, start in undated:
        if lead_start <= start < lead_end and WHERE_IT_HAPPENED.search(text, start - 40, start):
            return proposed(name, date, published_on, None)
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
        date, place, tense = dated(text, start, end, published_on)
        if date:
            found.pop((key, None), None)
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
            found[key, None] = ProposedEvent(name=name, kind="mentions", location=place)
    taken = {event.starts_on for event in found.values()}
    if own := the_story_s_own_date(text, published_on, undated, taken):
        found.pop((own.name.lower(), None), None)
        found[own.name.lower(), own.starts_on] = own
        taken.add(own.starts_on)
    for event in meetings_by_verb(text, published_on, taken):
        found[event.name.lower(), event.starts_on] = event
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
    Events less those another proposes more exactly under a name ending the same way: the
    day of a round already proposed over several days (“ended their latest round on
    Thursday”, “the round, which took place on 4-14 March”), and an event known only to a
    month or year whose day is given elsewhere (“an EU summit later this month”, “a summit
    in Brussels on March 20-21”).
    """
    return [event for event in events if not any(repeats(event, other) for other in events)]


def repeats(event, other):
    if other is event or not (event.starts_on and other.starts_on and other.ends_on):
        return False
    names = event.name.lower(), other.name.lower()
    if not (names[0].endswith(names[1]) or names[1].endswith(names[0])):
        return False
    if event.ends_on is None:  # a day within the other's days
        return names[0] == names[1] and other.starts_on <= event.starts_on <= other.ends_on
    return (
        event.date_precision in ("month", "year")
        and other.date_precision == "day"
        and event.starts_on <= other.starts_on <= event.ends_on
    )
