"""
The importer measured on wire copy it was not written alongside: the quotes it finds, who
said them and in what role, and the dated events, against hand-checked answer keys.

    python bench/importer_eval.py [--set dev|heldout|all] [--details] [--write]

Each story in bench/importer/corpus/<set>/ is a ``.txt`` as ``manage.py import_article``
reads it, beside a ``.json`` key: ``published_on``, ``quotes`` (text, speaker, role) and
``events`` (name, starts_on, ends_on, precision). The importer runs against an empty
in-memory database, migrated at start: people and events a newsroom already has can
neither help nor hinder it, and no real data is touched. ``--details`` lists what each
story missed; ``--write`` also writes bench/importer.md. The script reports, it does not
judge: it exits 1 only when a story cannot be imported at all.
"""

import argparse
import datetime
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "importer" / "corpus"
SETS = ("dev", "heldout")
REPORT = ROOT / "bench" / "importer.md"

# Two quotations are the same when one holds the other, or their words mostly agree.
SAME_QUOTE = 0.8
# A role read with a word or two more than the key (“Swedish Foreign Minister” for
# “Foreign Minister”) is still the role; more is another phrase swallowed with it.
ROLE_EXTRA_WORDS = 2
# Forms of address and ranks written before a name: “Admiral Pieter Vos” is Pieter Vos.
HONORIFICS = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof", "professor", "admiral", "general",
    "colonel",
}  # fmt: skip
DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our"}
QUOTE_MARKS = str.maketrans({c: '"' for c in "“”„‟«»″"} | {c: "'" for c in "‘’‚‛′`"})
DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})
WORD = re.compile(r"\w+(?:'\w+)*")


# Normalising


def normalise(text):
    """Compatibility forms, one kind of quote mark and dash, single spaces, no case, and no
    punctuation around the ends."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTE_MARKS).translate(DASHES)
    text = " ".join(text.split()).casefold()
    return text.strip(" .,;:!?\"'()[]-…")


def words(text):
    return WORD.findall(normalise(text))


def contains(longer, shorter):
    """Whether the word sequence ``shorter`` occurs, in order and unbroken, in ``longer``."""
    size = len(shorter)
    return size > 0 and any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def quote_similarity(proposed, expected):
    """1.0 when one text holds the other; otherwise the F1 of their words."""
    a, b = words(proposed), words(expected)
    if contains(a, b) or contains(b, a):
        return 1.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def person_key(name):
    """A speaker's name compared without case, honorifics or a leading “the”; accents count."""
    tokens = normalise(name).replace(".", " ").split()
    while tokens and (tokens[0] in HONORIFICS or tokens[0] in DETERMINERS):
        tokens = tokens[1:]
    return " ".join(tokens)


def role_words(role):
    """A role's words without the determiners in front: “the agency's Regional Director”
    and “its Regional Director” are both “regional director”; “Sweden's Foreign Minister”
    keeps its country (only a possessive after “the” is a determiner)."""
    tokens = words(role)
    if len(tokens) > 2 and tokens[0] == "the" and tokens[1].endswith("'s"):
        tokens = tokens[2:]
    while tokens and tokens[0] in DETERMINERS:
        tokens = tokens[1:]
    return tokens


def same_speaker(proposed, expected):
    return person_key(proposed) == person_key(expected)


def same_role(proposed, expected):
    a, b = role_words(proposed), role_words(expected)
    return a == b or (contains(a, b) and len(a) - len(b) <= ROLE_EXTRA_WORDS)


# Matching one story's proposal against its key


def pair_greedily(scores):
    """One-to-one pairs (i, j) from {(i, j): score}, best score first, ties by position."""
    pairs, used_i, used_j = [], set(), set()
    for (i, j), _ in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
        if i not in used_i and j not in used_j:
            pairs.append((i, j))
            used_i.add(i)
            used_j.add(j)
    return sorted(pairs, key=lambda pair: pair[1])


def match_quotes(proposed, expected):
    """Pairs (proposed index, key index) of the same quotation, each used at most once."""
    scores = {}
    for i, quote in enumerate(proposed):
        for j, answer in enumerate(expected):
            score = quote_similarity(quote["text"], answer["text"])
            if score >= SAME_QUOTE:
                scores[i, j] = score
    return pair_greedily(scores)


def same_dates(proposed, expected):
    if proposed["starts_on"] != expected["starts_on"]:
        return False
    return expected["ends_on"] is None or proposed["ends_on"] == expected["ends_on"]


def match_events(proposed, expected):
    """Pairs (proposed index, key index) of an event on the right dates; a name in common
    decides between two proposals of the same dates."""
    scores = {}
    for i, event in enumerate(proposed):
        for j, answer in enumerate(expected):
            if same_dates(event, answer):
                scores[i, j] = 1 + quote_similarity(event["name"], answer["name"])
    return pair_greedily(scores)


@dataclass
class Score:
    """Counts for one story or a sum of stories; ratios are taken from the sums."""

    key_quotes: int = 0
    proposed_quotes: int = 0
    matched: int = 0
    speakers_right: int = 0
    roles_judged: int = 0
    roles_right: int = 0
    key_events: int = 0
    proposed_events: int = 0
    events_right: int = 0
    seconds: float = 0.0
    misses: list = field(default_factory=list)

    def __add__(self, other):
        total = Score(seconds=max(self.seconds, other.seconds))
        for name in COUNTS:
            setattr(total, name, getattr(self, name) + getattr(other, name))
        return total

    @property
    def precision(self):
        return ratio(self.matched, self.proposed_quotes)

    @property
    def recall(self):
        return ratio(self.matched, self.key_quotes)

    @property
    def attribution(self):
        return ratio(self.speakers_right, self.matched)

    @property
    def role(self):
        return ratio(self.roles_right, self.roles_judged)

    @property
    def events(self):
        return ratio(self.events_right, self.key_events)

    @property
    def event_precision(self):
        return ratio(self.events_right, self.proposed_events)


COUNTS = [f.name for f in fields(Score) if f.type is int]


def ratio(part, whole):
    return part / whole if whole else None


def score(proposed_quotes, proposed_events, key):
    """A story's Score: ``proposed_*`` are dicts shaped as the key's entries."""
    result = Score(key_quotes=len(key["quotes"]), key_events=len(key["events"]))
    count_quotes(result, proposed_quotes, key["quotes"])
    count_events(result, proposed_events, key["events"])
    return result


def count_quotes(result, proposed, expected):
    result.proposed_quotes = len(proposed)
    pairs = match_quotes(proposed, expected)
    result.matched = len(pairs)
    for i, j in pairs:
        quote, answer = proposed[i], expected[j]
        if same_speaker(quote["speaker"], answer["speaker"]):
            result.speakers_right += 1
        else:
            result.misses.append(
                f"speaker {quote['speaker'] or '(none)'!r}, key {answer['speaker']!r}: "
                f"{clip(answer['text'])}"
            )
        if answer["role"] or quote["role"]:
            result.roles_judged += 1
            if answer["role"] and same_role(quote["role"], answer["role"]):
                result.roles_right += 1
            else:
                result.misses.append(
                    f"role {quote['role'] or '(none)'!r}, key {answer['role'] or '(none)'!r} "
                    f"for {answer['speaker']}"
                )
    found, matched = {j for _, j in pairs}, {i for i, _ in pairs}
    for j, answer in enumerate(expected):
        if j not in found:
            result.misses.append(f"quote missed ({answer['speaker']}): {clip(answer['text'])}")
    for i, quote in enumerate(proposed):
        if i not in matched:
            result.misses.append(f"not a key quote: {clip(quote['text'])}")


def count_events(result, proposed, expected):
    # Only dated proposals can be right or wrong about a date; the key lists dated events.
    dated = [event for event in proposed if event["starts_on"]]
    result.proposed_events = len(dated)
    pairs = match_events(dated, expected)
    result.events_right = len(pairs)
    found, matched = {j for _, j in pairs}, {i for i, _ in pairs}
    for j, answer in enumerate(expected):
        if j not in found:
            result.misses.append(f"event missed: {answer['name']} {dates_of(answer)}")
    for i, event in enumerate(dated):
        if i not in matched:
            result.misses.append(f"not a key event: {event['name']} {dates_of(event)}")


def clip(text, size=70):
    text = " ".join(text.split())
    return f"“{text[:size]}…”" if len(text) > size else f"“{text}”"


def dates_of(event):
    return event["starts_on"] + (f"..{event['ends_on']}" if event["ends_on"] else "")


# The corpus


@dataclass
class Story:
    set: str
    name: str
    path: Path
    key: dict


def load_corpus(sets=SETS):
    """Every story of ``sets`` with its key, in name order."""
    stories = []
    for set_name in sets:
        for path in sorted((CORPUS / set_name).glob("*.txt")):
            key = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            stories.append(Story(set_name, path.stem, path, key))
    return stories


def proposal_of(story):
    """What the importer proposes for ``story``: its quotes and events as key-shaped dicts."""
    from articles.importer import analyse, read_text

    published_on = datetime.date.fromisoformat(story.key["published_on"])
    proposal = analyse(read_text(story.path.read_bytes()), published_on)
    quotes = [{"text": q.text, "speaker": q.speaker, "role": q.role} for q in proposal.quotes]
    events = [
        {
            "name": e.name,
            "starts_on": e.starts_on.isoformat() if e.starts_on else None,
            "ends_on": e.ends_on.isoformat() if e.ends_on else None,
            "precision": e.date_precision,
        }
        for e in proposal.events
    ]
    return quotes, events


def evaluate(story):
    started = time.perf_counter()
    quotes, events = proposal_of(story)
    seconds = time.perf_counter() - started
    result = score(quotes, events, story.key)
    result.seconds = seconds
    return result


# Reporting


def percent(value):
    return "–" if value is None else f"{value:.0%}"


HEADER = (
    "| set | story | quotes (key/found/matched) | precision | recall | speaker | role "
    "| events (key/found/right) | events right | event precision |"
)


def row(set_name, name, s):
    return (
        f"| {set_name} | {name} | {s.key_quotes}/{s.proposed_quotes}/{s.matched} "
        f"| {percent(s.precision)} | {percent(s.recall)} | {percent(s.attribution)} "
        f"| {percent(s.role)} | {s.key_events}/{s.proposed_events}/{s.events_right} "
        f"| {percent(s.events)} | {percent(s.event_precision)} |"
    )


def table(results, totals):
    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    for story, result in results:
        lines.append(row(story.set, story.name, result))
    for set_name, total in totals.items():
        lines.append(row(f"**{set_name}**", "**total**", total))
    return "\n".join(lines)


def totals_table(totals, stories_per_set):
    lines = [
        "| set | stories | quote precision | quote recall | speaker | role | dated events "
        "| event precision | slowest story |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for set_name, s in totals.items():
        lines.append(
            f"| {set_name} | {stories_per_set[set_name]} | {percent(s.precision)} "
            f"({s.matched}/{s.proposed_quotes}) | {percent(s.recall)} ({s.matched}/{s.key_quotes}) "
            f"| {percent(s.attribution)} ({s.speakers_right}/{s.matched}) "
            f"| {percent(s.role)} ({s.roles_right}/{s.roles_judged}) "
            f"| {percent(s.events)} ({s.events_right}/{s.key_events}) "
            f"| {percent(s.event_precision)} ({s.events_right}/{s.proposed_events}) "
            f"| {s.seconds * 1000:.0f} ms |"
        )
    return "\n".join(lines)


METHOD = """\
Each story is imported with `articles.importer.analyse` against an empty, freshly migrated
in-memory database, and its proposal compared with the story's hand-checked key. Quote
texts are normalised (Unicode NFKC, one kind of quote mark and dash, single spaces, case
folded, punctuation at the ends stripped) and read as words; a proposed quote and a key
quote are the same when one holds the other's words unbroken or the F1 of their words is
at least 0.8, each key quote matched once, best pairs first. Precision is matched / proposed
quotes, recall matched / key quotes. The speaker is right when it equals the key's name,
ignoring case, forms of address and ranks (Mr, Dr, Sir, Admiral...) and a leading “the”;
a surname alone for a named person is wrong. The role is right when its words, without
leading determiners (“the”, “its”, “the agency's”), equal the key's or hold them with at
most two words more; it is judged on matched quotes whose key gives a role, and a role
proposed where the key has none counts as wrong. A key event is found when a proposed event
has the same first day (and the same last day when the key gives one); event precision is
taken over the proposed events that carry a date. Totals add up the counts of all stories
(micro-average). The slowest story is the longest single `analyse` call."""


def write_report(results, totals, stories_per_set):
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n\n".join(
        [
            "# The importer on wire copy",
            f"Measured {today} with `make eval-importer` on "
            f"{sum(stories_per_set.values())} stories (bench/importer/corpus/): "
            "`dev` is read while the rules are written, `heldout` is not.",
            "## Totals",
            totals_table(totals, stories_per_set),
            "## Method",
            METHOD,
            "## Each story",
            table(results, {}),
        ]
    )
    REPORT.write_text(text + "\n", encoding="utf-8")


def set_up_django():
    """Django with an empty in-memory database, whatever DATABASE_URL says."""
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.pop("DATABASE_REPLICA_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("--set", choices=[*SETS, "all"], default="dev")
    parser.add_argument("--details", action="store_true", help="list each story's misses")
    parser.add_argument("--write", action="store_true", help=f"write {REPORT.name}")
    args = parser.parse_args()
    sets = SETS if args.set == "all" else (args.set,)
    set_up_django()

    results, failed = [], []
    for story in load_corpus(sets):
        try:
            results.append((story, evaluate(story)))
        except Exception as error:  # whatever the failure, the story is named
            failed.append(f"{story.set}/{story.name}: {type(error).__name__}: {error}")
    totals, stories_per_set = {}, {}
    for set_name in sets:
        per_story = [result for story, result in results if story.set == set_name]
        totals[set_name] = sum(per_story, Score())
        stories_per_set[set_name] = len(per_story)

    print(table(results, totals))
    print()
    print(totals_table(totals, stories_per_set))
    if args.details:
        for story, result in results:
            if result.misses:
                print(f"\n{story.set}/{story.name}")
                for miss in result.misses:
                    print(f"  {miss}")
    if failed:
        print("\nThese stories could not be imported:", *failed, sep="\n  ", file=sys.stderr)
        return 1
    if args.write:
        write_report(results, totals, stories_per_set)
        print(f"\nWritten to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
