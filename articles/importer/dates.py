"""
Dates as stories write them (“on 13-14 October”, “the Euro Summit of October 2014”, “on
Tuesday (27 June 2023)”, “later this year”), read against the story's own date.

A day without a year is the nearest such day when a few months away at most; otherwise
the sentence's tense decides: “on 3-5 June”, announced in November for what will be, is
next June.
"""

import calendar
import datetime
import re

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
# “on 13-14 June last year”: the year said in words after a day or a month.
YEAR_IN_WORDS = r"(?:\s+(?P<year_word>last|next|this)\s+year)?"

EXPLICIT_WEEKDAY = re.compile(  # “on Tuesday (27 June 2023)”, “on Tuesday 27 June”
    rf"\b{DAY_NAME},?\s*\(?\s*(?P<day>{DAY})\s+(?P<month>{MONTH})(?:,?\s+(?P<year>\d{{4}}))?\s*\)?"
)
DAY_FIRST = re.compile(  # “16 June”, “13-14 October 2025”, “10 to 21 November”, “30 Nov-2 Dec”
    rf"\b(?P<day>{DAY})(?:\s*(?:[-–]|to|and|until)\s*(?P<last_day>{DAY}))?\s+(?P<month>{MONTH})"
    rf"(?:\s*(?:[-–]|to|until)\s*(?P<end_day>{DAY})\s+(?P<end_month>{MONTH}))?"
    rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?{YEAR_IN_WORDS}"
)
MONTH_FIRST = re.compile(  # “November 29”, “Oct 13-14, 2025”
    rf"\b(?P<month>{MONTH})\s+(?P<day>{DAY})(?:\s*[-–]\s*(?P<last_day>{DAY}))?"
    rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?{YEAR_IN_WORDS}"
)
MONTH_ONLY = re.compile(  # “in June”, “of October 2014”, “in February and March”
    rf"\b(?:in|of|during|for)\s+(?:(?:early|late|mid)[\s-]+)?(?P<month>{FULL_MONTH})"
    rf"(?:\s+(?:and|or|to)\s+(?P<end_month>{FULL_MONTH}))?(?:\s+(?P<year>\d{{4}})(?!\d))?"
    rf"{YEAR_IN_WORDS}"
)
WEEKDAY = re.compile(rf"\b(?:(?P<which>next|last|this)\s+)?(?P<weekday>{DAY_NAME})\b")
RELATIVE = re.compile(
    r"\b(?P<when>later this year|earlier this year|this year|next year|last year|next month"
    r"|last month|later this month|earlier this month|this month|today|tomorrow|yesterday"
    r"|this morning|this afternoon|this evening|tonight)\b"
)
PATTERNS = [EXPLICIT_WEEKDAY, DAY_FIRST, MONTH_FIRST, MONTH_ONLY, WEEKDAY, RELATIVE]
# A day written before what it dates: “Thursday's summit”.
POSSESSIVE_DAY = re.compile(rf"(?P<day>{DAY_NAME})[’']s\s+")

# Tense, for a day written without a year: ahead of the story's date, or behind it.
AHEAD = re.compile(
    r"\b(?:will|shall|due|scheduled|upcoming|forthcoming|next|ahead|later|opens|starts|"
    r"begins|starting|expected|planned|to be held|is to|are to|set to|set for|meets|"
    r"resumes|return|postponed to|plans? (?:to|a|an)|planning|intends?)\b",
    re.I,
)
BEHIND = re.compile(
    r"\b(?:took place|was held|were held|last|had|was|were|met|ended|agreed|pledged|joined|"
    r"presented|earlier|previous|since|ago|welcomed|reached|adopted|followed|began)\b",
    re.I,
)
# A date this close to the story's is meant, whatever the tense of its sentence says.
CLOSE_ENOUGH_DAYS = 120
ONE_DAY = datetime.timedelta(days=1)


def tense_of(sentence):
    """ "ahead", "behind", or None when the sentence says both or neither."""
    ahead, behind = bool(AHEAD.search(sentence)), bool(BEHIND.search(sentence))
    if ahead != behind:
        return "ahead" if ahead else "behind"
    return None


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


def first_date(text):
    """The earliest date written in ``text``: (pattern, match), or None."""
    found = []
    for order, pattern in enumerate(PATTERNS):
        if match := pattern.search(text):
            found.append((match.start(), -len(match.group(0)), order, pattern, match))
    if not found:
        return None
    *_, pattern, match = min(found, key=lambda item: item[:3])
    return pattern, match


def number(day):
    """The number of a day as written: “21st” is 21."""
    return int(re.match(r"\d+", day).group(0))


def year_of(groups, published_on):
    """The year written with a date, in figures or in words (“last year”), else None."""
    if groups.get("year"):
        return int(groups["year"])
    word = groups.get("year_word")
    return published_on.year + {"last": -1, "next": 1, "this": 0}[word] if word else None


def date_in(pattern, match, published_on, tense):
    """(starts_on, ends_on, precision) for a date ``match`` of ``pattern``, or None."""
    groups = match.groupdict()
    year = year_of(groups, published_on)
    try:
        if pattern in (EXPLICIT_WEEKDAY, DAY_FIRST, MONTH_FIRST):
            month = MONTHS[groups["month"].lower().rstrip(".")]
            starts = resolve_day(number(groups["day"]), month, year, published_on, tense)
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
            year = year or resolve_day(1, first, None, published_on.replace(day=1), tense).year
            return datetime.date(year, first, 1), last_day(year, last), "month"
        if pattern is WEEKDAY:
            future = groups["which"] == "next" or (groups["which"] != "last" and tense == "ahead")
            return weekday_near(groups["weekday"], published_on, future), None, "day"
        return relative_date(groups["when"].lower(), published_on)
    except ValueError:
        return None  # “31 February”: no date rather than a wrong one


def relative_date(when, published_on):
    year = published_on.year
    if when in ("today", "this morning", "this afternoon", "this evening", "tonight"):
        return published_on, None, "day"
    if when in ("tomorrow", "yesterday"):
        return published_on + (ONE_DAY if when == "tomorrow" else -ONE_DAY), None, "day"
    if when == "later this year":
        return published_on + ONE_DAY, datetime.date(year, 12, 31), "year"
    if when in ("this year", "earlier this year", "next year", "last year"):
        year += {"next year": 1, "last year": -1}.get(when, 0)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year"
    if when == "later this month":
        return published_on + ONE_DAY, last_day(year, published_on.month), "month"
    month = published_on.month + {"next month": 1, "last month": -1}.get(when, 0)
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, 1), last_day(year, month), "month"
