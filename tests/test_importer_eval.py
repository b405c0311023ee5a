"""The importer's evaluation corpus stays honest, and its scoring counts what it says."""

import datetime
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("importer_eval", ROOT / "bench" / "importer_eval.py")
importer_eval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(importer_eval)

STORIES = importer_eval.load_corpus()
PRECISIONS = {"day", "month", "year"}


def story_id(story):
    return f"{story.set}/{story.name}"


def flat(text):
    """Text as the key's quotes are compared with their story: normalised, no double quotes."""
    return " ".join(importer_eval.normalise(text).replace('"', " ").split())


# The corpus


def test_the_corpus_is_large_enough_and_keeps_a_held_out_part():
    held_out = [story for story in STORIES if story.set == "heldout"]
    assert len(STORIES) >= 45
    assert len(held_out) >= 15


def test_every_story_has_a_key_and_every_key_a_story():
    for set_name in importer_eval.SETS:
        folder = importer_eval.CORPUS / set_name
        stories = {path.stem for path in folder.glob("*.txt")}
        keys = {path.stem for path in folder.glob("*.json")}
        assert stories == keys, f"{set_name}: unpaired {sorted(stories ^ keys)}"


def test_dev_and_held_out_share_no_story():
    by_set = {name: [s for s in STORIES if s.set == name] for name in importer_eval.SETS}
    dev, held_out = by_set["dev"], by_set["heldout"]
    assert not {s.name for s in dev} & {s.name for s in held_out}
    headline = {s.name: s.path.read_text(encoding="utf-8").splitlines()[0] for s in STORIES}
    assert not {headline[s.name] for s in dev} & {headline[s.name] for s in held_out}
    dev_quotes = {flat(q["text"]) for s in dev for q in s.key["quotes"]}
    assert not dev_quotes & {flat(q["text"]) for s in held_out for q in s.key["quotes"]}


@pytest.mark.parametrize("story", STORIES, ids=story_id)
def test_the_key_is_well_formed(story):
    key = story.key
    assert set(key) == {"published_on", "quotes", "events"}
    datetime.date.fromisoformat(key["published_on"])
    for quote in key["quotes"]:
        assert set(quote) == {"text", "speaker", "role"}
        assert quote["text"].strip() and quote["speaker"].strip()
        assert quote["text"][0] not in "“”\"'‘’«»", "the key's text leaves out the quote marks"
    for event in key["events"]:
        assert set(event) == {"name", "starts_on", "ends_on", "precision"}
        assert event["name"].strip() and event["precision"] in PRECISIONS
        starts_on = datetime.date.fromisoformat(event["starts_on"])
        if event["ends_on"] is not None:
            assert datetime.date.fromisoformat(event["ends_on"]) >= starts_on
        if event["precision"] != "day":
            # As the Event model asks: the first day, and the last possible day as the end.
            ends_on = datetime.date.fromisoformat(event["ends_on"])
            assert starts_on.day == 1 and (ends_on + datetime.timedelta(days=1)).day == 1
            if event["precision"] == "year":
                assert (starts_on.month, ends_on.month) == (1, 12)


@pytest.mark.parametrize("story", STORIES, ids=story_id)
def test_every_key_quote_is_in_its_story(story):
    """A quote over several paragraphs is keyed as one text: their breaks and opening quote
    marks read as spaces."""
    text = flat(story.path.read_text(encoding="utf-8"))
    for quote in story.key["quotes"]:
        assert flat(quote["text"]) in text, quote["text"]


@pytest.mark.parametrize("story", STORIES, ids=story_id)
def test_every_story_reads_as_the_importer_expects(story):
    """A headline line, then paragraphs separated by blank lines, of a story's length."""
    text = story.path.read_text(encoding="utf-8")
    assert re.match(r"[^\n]+\n\n\S", text)
    assert 80 <= len(text.split()) <= 1300


def test_the_keys_are_written_as_the_corpus_writes_them():
    """Two-space JSON keeping accents and curly quotes readable, so that a diff shows a change."""
    for story in STORIES:
        written = story.path.with_suffix(".json").read_text(encoding="utf-8")
        assert written == json.dumps(story.key, ensure_ascii=False, indent=2) + "\n", story.name


# Scoring


def quote(text, speaker="", role=""):
    return {"text": text, "speaker": speaker, "role": role}


def event(starts_on, ends_on=None, name="Summit"):
    return {"name": name, "starts_on": starts_on, "ends_on": ends_on, "precision": "day"}


KEY = {
    "published_on": "2025-03-18",
    "quotes": [
        quote("We will not let up until these networks are dismantled.", "Jane Holt", "Minister"),
        quote("Nobody is against the science", "Jens Lindqvist", "Fisheries Minister"),
    ],
    "events": [event("2025-02-18", "2025-02-19"), event("2025-05-19")],
}


def test_a_quote_matches_despite_marks_case_and_a_missing_end():
    proposed = [quote("“we will not let up until these networks are dismantled,”", "Jane Holt")]
    result = importer_eval.score(proposed, [], KEY)
    assert (result.matched, result.precision, result.recall) == (1, 1.0, 0.5)


def test_a_matching_quote_with_the_wrong_speaker_counts_against_attribution_only():
    proposed = [quote("Nobody is against the science", "Jane Holt", "Fisheries Minister")]
    result = importer_eval.score(proposed, [], KEY)
    assert (result.precision, result.attribution, result.role) == (1.0, 0.0, 1.0)


def test_a_surname_alone_is_the_wrong_speaker_but_an_honorific_is_no_matter():
    assert importer_eval.same_speaker("Mr. Lindqvist", "Jens Lindqvist") is False
    assert importer_eval.same_speaker("Mr. Jens Lindqvist", "jens lindqvist") is True
    assert importer_eval.same_speaker("Admiral Pieter Vos", "Pieter Vos") is True
    assert importer_eval.same_speaker("Sir Robert", "Robert Haines") is False
    assert importer_eval.same_speaker("Lucia Ferrer", "Lucía Ferrer") is False


def test_a_role_may_carry_two_words_more_than_the_key_but_not_lose_any():
    key = "Regional Director for Latin America and the Caribbean"
    assert importer_eval.same_role(f"the agency's {key}", key)
    assert importer_eval.same_role(f"UNHCR {key}", key)
    assert not importer_eval.same_role("Regional Director for Latin America", key)
    assert not importer_eval.same_role(f"{key}, who visited Honduras last week", key)
    assert not importer_eval.same_role("Sweden's Minister", "Minister of Fisheries")


def test_a_role_where_the_key_has_none_counts_as_wrong():
    key = {**KEY, "quotes": [quote("Nobody is against the science", "Jens Lindqvist")]}
    result = importer_eval.score(
        [quote("Nobody is against the science", "Jens Lindqvist")], [], key
    )
    assert result.roles_judged == 0
    wrong = [quote("Nobody is against the science", "Jens Lindqvist", "Minister")]
    assert importer_eval.score(wrong, [], key).role == 0.0


def test_each_key_quote_is_matched_once_so_a_repeat_is_imprecise():
    text = "Nobody is against the science"
    result = importer_eval.score([quote(text, "Jens Lindqvist")] * 2, [], KEY)
    assert (result.matched, result.precision) == (1, 0.5)


def test_a_quote_cut_in_two_matches_one_half_and_leaves_the_other_over():
    proposed = [quote("We will not let up"), quote("until these networks are dismantled")]
    result = importer_eval.score(proposed, [], KEY)
    assert (result.matched, result.proposed_quotes) == (1, 2)


def test_a_title_in_quotation_marks_matches_no_key_quote():
    result = importer_eval.score(
        [quote("Closing the Gap: Digital Skills for Every Worker")], [], KEY
    )
    assert (result.matched, result.precision, result.recall) == (0, 0.0, 0.0)


def test_an_event_is_right_on_its_dates_and_only_dated_proposals_are_judged():
    proposed = [
        event("2025-02-18", "2025-02-19", name="European Council"),
        event("2025-05-19", "2025-05-20"),  # the key gives no end: any end will do
        event(None, name="Operation Interflex"),
        event("2025-02-18"),  # the first's dates taken already, and its end missing
    ]
    result = importer_eval.score([], proposed, KEY)
    assert (result.events_right, result.events, result.proposed_events) == (2, 1.0, 3)
    wrong_end = importer_eval.score([], [event("2025-02-18", "2025-02-20")], KEY)
    assert wrong_end.events_right == 0


def test_totals_add_up_the_counts_of_the_stories():
    first = importer_eval.score([quote("Nobody is against the science", "Jens Lindqvist")], [], KEY)
    second = importer_eval.score([quote("Something else entirely was said here")], [], KEY)
    total = first + second
    assert (total.matched, total.proposed_quotes, total.key_quotes) == (1, 2, 4)
    assert (total.precision, total.recall) == (0.5, 0.25)
