"""The before-publish checklist: each check on crafted values, and how results are cut."""

import datetime

import pytest

from articles.desk import checklist
from articles.desk.checklist import ERROR, OK, WARNING, review
from tests.factories import make_article

# An article that passes every check: each test spoils one thing.
GOOD = {
    "title": "UK and EU agree to deepen defence ties",
    "slug": "uk-eu-defence",
    "standfirst": "Ministers met in London ahead of the summit.",
    "body": "The talks went well.",
    "dateline": "London",
    "tag_names": ["Defence"],
    "quotes": [{"speaker": 7, "text": "We stand together."}],
    "lead_image": True,
    "lead_image_alt": "Two ministers shaking hands",
    "picture": {"src": "/media/lead.jpg", "social": "/media/social.jpg"},
    "url": "/articles/2025/03/18/uk-eu-defence/",
}


def check(name, **changes):
    """The check called ``name`` for the good values with ``changes``."""
    found = [c for c in review({**GOOD, **changes}).checks if c.name == name]
    assert len(found) == 1, name
    return found[0]


@pytest.fixture(autouse=True)
def _db(db):
    """Link checks read the archive."""


def test_a_good_article_passes_every_check():
    result = review(GOOD)
    assert [c.level for c in result.checks] == [OK] * len(result.checks)
    assert not result.errors and not result.warnings


def test_a_headline_past_seventy_characters_is_a_warning():
    long = "Ministers from the United Kingdom and the European Union agree on defence"
    assert len(long) > 70
    assert check("headline", title=long).level == WARNING
    assert f"{len(long)} characters" in check("headline", title=long).message
    assert check("headline", title="x" * 70).level == OK


def test_a_missing_headline_is_an_error():
    assert check("headline", title="   ").level == ERROR


def test_the_search_result_cuts_the_headline_and_standfirst_at_a_word():
    title = "Ministers from the United Kingdom and the European Union agree on defence"
    standfirst = "Word " * 60
    search = review({**GOOD, "title": title, "standfirst": standfirst}).search
    assert search["title"] == "Ministers from the United Kingdom and the European Union…"
    assert len(search["description"]) <= 160 and search["description"].endswith("Word…")
    assert search["url"].endswith(" › articles › 2025 › 03 › 18 › uk-eu-defence")


def test_a_standfirst_missing_is_an_error_and_a_long_one_a_warning():
    assert check("standfirst", standfirst="").level == ERROR
    assert check("standfirst", standfirst="A sentence. " * 20).level == WARNING


def test_a_missing_slug_is_an_error():
    assert check("slug", slug="").level == ERROR


def test_a_lead_image_without_alt_text_is_an_error():
    assert check("alt-text", lead_image_alt=" ").level == ERROR
    assert check("alt-text", lead_image=False, lead_image_alt="").level == OK


def test_a_picture_in_the_body_without_text_is_a_warning():
    found = check("alt-text", body="Before.\n\n![](https://example.org/map.png)")
    assert found.level == WARNING and "1 picture" in found.message
    assert check("alt-text", body="![A map of the border](https://example.org/map.png)").level == OK


def test_an_article_without_tags_is_an_error():
    assert check("tags", tag_names=[]).level == ERROR


def test_a_quote_without_its_speaker_is_an_error_naming_it():
    quotes = [GOOD["quotes"][0], {"speaker": None, "text": "Unattributed words."}]
    found = check("quotes", quotes=quotes)
    assert found.level == ERROR and "quote 2 has none" in found.message
    # A row left empty is no quote.
    assert check("quotes", quotes=[*GOOD["quotes"], {"speaker": None, "text": " "}]).level == OK


def test_links_to_unpublished_missing_or_misdated_articles_are_warnings():
    public = make_article(slug="public-story")
    make_article(slug="draft-story", status="draft", published_at=None)
    day = public.publication_date
    other_day = day - datetime.timedelta(days=3)
    ok_url = public.get_absolute_url()
    body = (
        f"[Fine]({ok_url}) and [absolute](http://127.0.0.1:8000{ok_url}), "
        f"[draft](/articles/{day:%Y/%m/%d}/draft-story/), "
        f"[gone](/articles/{day:%Y/%m/%d}/no-such-story/), "
        f"[misdated](/articles/{other_day:%Y/%m/%d}/public-story/), "
        "[nowhere](/no-such-page/), [elsewhere](https://example.org/articles/2025/01/01/x/)."
    )
    found = check("links", body=body)
    assert found.level == WARNING and found.message.startswith("4 links")
    details = "\n".join(found.details)
    assert "draft-story/: that article is not published" in details
    assert "no-such-story/: there is no such article" in details
    assert "public-story/: that article was published on" in details
    assert "/no-such-page/: there is no page at this address" in details
    assert ok_url + ":" not in details and "example.org" not in details


def test_links_to_published_articles_pass():
    url = make_article().get_absolute_url()
    assert check("links", body=f"[One]({url}).").level == OK


def test_the_same_address_linked_twice_is_a_warning():
    body = (
        "[a](https://example.org/x) and [b](https://example.org/x) and [c](https://example.org/y)"
    )
    found = check("repeated-links", body=body)
    assert found.level == WARNING and found.details == ["https://example.org/x"]


def test_a_missing_dateline_is_a_warning():
    assert check("dateline", dateline="").level == WARNING


def test_the_social_card_shows_the_picture_or_warns_without_one():
    result = review(GOOD)
    assert result.card["image"] == "/media/social.jpg"  # the crop shared links show
    assert result.card["title"] == GOOD["title"]
    assert check("social-card", picture=None, lead_image=False).level == WARNING


def test_cut_keeps_short_text_and_cuts_long_text_at_a_word():
    assert checklist.cut("Short", 10) == "Short"
    assert checklist.cut("Seven words make a rather long line", 20) == "Seven words make a…"
