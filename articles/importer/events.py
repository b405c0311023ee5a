"""Named events and their dates, resolved against the article's own date."""

import calendar
import datetime
import re

from articles.importer.proposal import ProposedEvent
from articles.limits import MAX_IMPORT_EVENT_NAMES

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH = "(?:" + "|".join(name for name in calendar.month_name if name) + ")"
DAY_NAME = "(?:" + "|".join(calendar.day_name) + ")"

STRONG_KEYWORDS = r"Summit|Conference|Congress|Games|Olympics|Expo|Election|Referendum|summit"
WEAK_KEYWORDS = r"Council|Meeting|Forum|Assembly|Talks|Festival|Convention"
# Possessive (“*+”): a capitalised word is never given back letter by letter, which on a
# long run of capitals without spaces cost time growing with the square of its length.
WORD = r"[A-ZÀ-Ý][\w’'-]*+"
EVENT = re.compile(
    # Names start where a word starts: tried inside a word, each of a run of capitals
    # read the rest of the run again.
    rf"(?<![\w’'-])(?P<name>(?:{WORD}\s+){{0,5}}(?:(?P<strong>{STRONG_KEYWORDS})|{WEAK_KEYWORDS})s?"
    rf"(?:\s+(?:meetings?|(?P<lower_strong>summits?)))?"
    rf"(?:\s+on\s+(?!{MONTH}\b|{DAY_NAME}\b){WORD})?)"
    rf"(?:\s+in\s+(?!{MONTH}\b)(?P<place>{WORD}))?"
)
OPERATION = re.compile(r"\bOperation\s+(?P<code>[A-Z][\w-]+)")
# Descriptive words written in capitals before a name: “UK-hosted”, “EU-led”.
DESCRIPTOR = re.compile(r"^\w+-(?:hosted|led|backed|organised|organized|sponsored)$", re.I)

DAY_MONTH = re.compile(
    rf"^\s*,?\s*(?:on\s+)?(?:\w+day\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{MONTH})(?:\s+(?P<year>\d{{4}}))?"
)
MONTH_DAY = re.compile(
    rf"^\s*,?\s*(?:on\s+)?(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?"
)
IN_MONTHS = re.compile(
    rf"^\s*,?\s*in\s+(?P<first>{MONTH})(?:\s+and\s+(?P<last>{MONTH}))?(?:\s+(?P<year>\d{{4}}))?"
)
WEEKDAY = re.compile(
    r"^\s*,?\s*on\s+(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
RELATIVE = re.compile(
    r"^\s*,?\s*(?P<when>later this year|this year|next year|earlier this year|last year"
    r"|next month|last month)"
)
FUTURE_WORDS = re.compile(r"\b(?:upcoming|forthcoming|next|future|will|later)\b", re.I)


def resolve_day(day, month, year, published_on):
    """A day named without a year is the nearest such day to the article's date."""
    if year:
        return datetime.date(int(year), month, day)
    candidate = datetime.date(published_on.year, month, day)
    if (published_on - candidate).days > 183:
        candidate = datetime.date(published_on.year + 1, month, day)
    elif (candidate - published_on).days > 183:
        candidate = datetime.date(published_on.year - 1, month, day)
    return candidate


def last_day(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def weekday_near(weekday, published_on, future):
    """“On Thursday”: the coming one when the story looks ahead, else the latest one."""
    offset = WEEKDAYS.index(weekday.lower()) - published_on.weekday()
    if future:
        return published_on + datetime.timedelta(days=offset % 7 or 7)
    return published_on - datetime.timedelta(days=(-offset) % 7)


def date_after(tail, published_on, future=None):
    """(starts_on, ends_on, precision, future) from the words after an event's name."""
    try:
        for pattern in (DAY_MONTH, MONTH_DAY):
            if match := pattern.match(tail):
                month = MONTHS[match.group("month").lower()]
                day = resolve_day(int(match.group("day")), month, match.group("year"), published_on)
                return day, None, "day", None
    except ValueError:
        return None, None, "day", None  # “31 February”: no date rather than a wrong one
    if match := WEEKDAY.match(tail):
        return weekday_near(match.group("weekday"), published_on, future), None, "day", future
    if match := IN_MONTHS.match(tail):
        first = MONTHS[match.group("first").lower()]
        last = MONTHS[(match.group("last") or match.group("first")).lower()]
        year = int(match.group("year") or published_on.year)
        return datetime.date(year, first, 1), last_day(year, last), "month", None
    if match := RELATIVE.match(tail):
        year = published_on.year
        when = match.group("when")
        if when == "later this year":
            return (
                published_on + datetime.timedelta(days=1),
                datetime.date(year, 12, 31),
                "year",
                True,
            )
        if when in ("this year", "earlier this year"):
            return (
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
                "year",
                when == "this year" and None,
            )
        if when == "next year":
            return datetime.date(year + 1, 1, 1), datetime.date(year + 1, 12, 31), "year", True
        if when == "last year":
            return datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31), "year", False
        month = published_on.month + (1 if when == "next month" else -1)
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return datetime.date(year, month, 1), last_day(year, month), "month", when == "next month"
    return None, None, "day", None


def link_kind(starts_on, ends_on, published_on, future):
    if future is True or (starts_on and starts_on > published_on):
        return "previews"
    if starts_on and starts_on <= published_on <= (ends_on or starts_on) and future is None:
        return "reports_on" if starts_on == published_on else "mentions"
    return "mentions"


def clean_name(name):
    words = name.split()
    while words and (DESCRIPTOR.match(words[0]) or words[0] in {"The", "A", "An", "This"}):
        words = words[1:]
    return " ".join(words)


def find_events(text, published_on, is_known=lambda name: False):
    """
    Events named in ``text``. A name with a strong keyword (Summit, Conference...) or a
    date is proposed; a weaker one (Meeting, Council...) only when the newsroom already
    has an event of that name. At most MAX_IMPORT_EVENT_NAMES names are considered (and
    looked up with ``is_known``): a story naming more is a list, not a report.
    """
    found = {}
    considered = {}
    for match in EVENT.finditer(text):
        name = clean_name(match.group("name"))
        if len(name.split()) < 2:
            continue
        if name.lower() not in considered:
            if len(considered) >= MAX_IMPORT_EVENT_NAMES:
                break
            considered[name.lower()] = None
        tail = text[match.end() :][:60]
        lead = text[max(0, match.start() - 40) : match.start()]
        looks_ahead = bool(FUTURE_WORDS.search(lead.split(".")[-1])) or None
        starts_on, ends_on, precision, future = date_after(tail, published_on, looks_ahead)
        if future is None:
            future = looks_ahead
        strong = match.group("strong") or match.group("lower_strong")
        if not (strong or starts_on):
            if considered[name.lower()] is None:
                considered[name.lower()] = bool(is_known(name))
            if not considered[name.lower()]:
                continue
        key = name.lower()
        if key in found and found[key].starts_on:
            continue
        found[key] = ProposedEvent(
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            date_precision=precision,
            kind=link_kind(starts_on, ends_on, published_on, future),
            location=match.group("place") or "",
        )
    for match in OPERATION.finditer(text):
        if len(found) >= MAX_IMPORT_EVENT_NAMES:
            break
        name = f"Operation {match.group('code')}"
        found.setdefault(name.lower(), ProposedEvent(name=name, kind="mentions"))
    return list(found.values())
