"""/search/: what it finds, in what order, how it shows it, and what it refuses."""

import datetime
import random
import re
from html import escape, unescape
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.safestring import SafeData

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, compact_search_index, excerpt, highlight
from tests.factories import make_article, make_quote

pytestmark = pytest.mark.django_db

ON_SQLITE = connection.vendor == "sqlite"
ON_POSTGRESQL = connection.vendor == "postgresql"


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def search(client, q, **params):
    return client.get("/search/", {"q": q, **params})


def found(response):
    """Headlines of the results on the page, in the order shown."""
    assert response.status_code == 200
    return [result["article"].title for result in response.context["results"]]


# What it finds


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "Tanker seized off the coast"},
        {"standfirst": "A tanker was seized off the coast on Monday."},
        {"body": "Officials said the tanker had been seized.\n\nNo one was hurt."},
    ],
    ids=["headline", "standfirst", "body"],
)
def test_a_word_in_the_headline_standfirst_or_body_finds_the_article(client, fields):
    article = make_article(**fields)
    make_article(title="Grain harvest up")
    assert found(search(client, "tanker")) == [article.title]


def test_a_word_only_in_a_quote_finds_the_article(client):
    article = make_article(title="Port talks resume")
    make_quote(article, text="The harbour must stay open to grain ships.")
    make_article(title="Grain harvest up")
    assert found(search(client, "harbour")) == ["Port talks resume"]


def test_an_edit_is_searchable_at_once_and_the_old_words_are_gone(client):
    article = make_article(title="Tanker seized off the coast")
    quote = make_quote(article, text="The harbour must stay open.")
    article.title = "Ferry stopped off the coast"
    article.save()
    quote.text = "The port must stay open."
    quote.save()
    assert found(search(client, "ferry")) == [article.title]
    assert found(search(client, "port")) == [article.title]
    assert found(search(client, "tanker")) == []
    assert found(search(client, "harbour")) == []


def test_a_deleted_article_leaves_nothing_in_the_index_for_the_next_one(client):
    make_article(title="Tanker seized off the coast").delete()
    newer = make_article(title="Grain harvest up")
    assert found(search(client, "tanker")) == []
    assert found(search(client, "grain")) == [newer.title]


def test_compacting_the_index_after_a_bulk_load_finds_and_ranks_the_same(client):
    # Each article written alone, so that SQLite's index holds several segments to merge.
    make_article(title="Grain harvest up", published_at=ago(days=3))
    older = make_article(
        title="Ferry stopped", body="The grain ships wait.", published_at=ago(days=2)
    )
    make_article(title="Tanker seized", standfirst="Grain prices rise.", published_at=ago(days=1))
    deleted = make_article(title="Grain quota set")
    deleted.delete()
    before = found(search(client, "grain"))
    compact_search_index()
    assert found(search(client, "grain")) == before
    assert before == ["Grain harvest up", "Tanker seized", older.title]
    assert found(search(client, "quota")) == []


def test_search_ignores_case(client):
    make_article(title="Ceasefire holds in the north")
    assert found(search(client, "CEASEFIRE")) == ["Ceasefire holds in the north"]


def test_a_singular_word_finds_its_plural(client):
    make_article(title="New sanctions on oil exports")
    assert found(search(client, "sanction")) == ["New sanctions on oil exports"]


def test_every_word_of_the_query_must_match(client):
    make_article(title="Tanker seized", body="The vessel carried wheat.")
    make_article(title="Tanker returns to port")
    assert found(search(client, "tanker wheat")) == ["Tanker seized"]
    assert found(search(client, "tanker barley")) == []


def test_words_may_match_in_different_parts_of_the_article(client):
    make_article(title="Tanker seized", standfirst="Coastguard boarded at dawn.")
    assert found(search(client, "tanker coastguard")) == ["Tanker seized"]


def test_words_may_be_split_between_the_headline_and_a_quote(client):
    article = make_article(title="Tanker seized")
    make_quote(article, text="The harbour is closed.")
    assert found(search(client, "tanker harbour")) == ["Tanker seized"]


def test_headline_matches_rank_before_newer_body_only_matches(client):
    make_article(title="Body mention", body="A tanker was seen nearby.", published_at=ago(hours=1))
    make_article(title="Tanker seized", published_at=ago(days=3))
    assert found(search(client, "tanker")) == ["Tanker seized", "Body mention"]


def test_a_word_inside_a_headline_word_is_no_headline_match(client):
    make_article(title="Airport strike", body="The port stayed open.", published_at=ago(hours=1))
    make_article(title="Port reopens", published_at=ago(days=3))
    assert found(search(client, "port")) == ["Port reopens", "Airport strike"]


def test_standfirst_matches_rank_before_newer_body_only_matches(client):
    make_article(title="Body mention", body="A tanker was seen nearby.", published_at=ago(hours=1))
    make_article(title="Ships", standfirst="A tanker was seized.", published_at=ago(days=3))
    make_article(title="Tanker seized", published_at=ago(days=5))
    assert found(search(client, "tanker")) == ["Tanker seized", "Ships", "Body mention"]


def test_among_headline_matches_those_matching_in_the_standfirst_too_come_first(client):
    make_article(title="Tanker seized", standfirst="Grain ships wait.", published_at=ago(hours=1))
    make_article(title="Body mention", body="A tanker was seen.", published_at=ago(hours=2))
    make_article(title="Ships", standfirst="A tanker was seized.", published_at=ago(days=2))
    make_article(title="Tanker sails", standfirst="The tanker left.", published_at=ago(days=4))
    make_article(title="Tanker held", standfirst="The tanker waits.", published_at=ago(days=3))
    assert found(search(client, "tanker")) == [
        "Tanker held",
        "Tanker sails",
        "Tanker seized",
        "Ships",
        "Body mention",
    ]


def test_results_of_equal_rank_are_newest_first_across_pages(client):
    for n, hours in enumerate([5, 1, 30, 3, 2] * 5):
        make_article(title=f"Tanker {n}", published_at=ago(hours=hours, minutes=n))
    shown = found(search(client, "tanker")) + found(search(client, "tanker", page=2))
    dates = {article.title: article.published_at for article in Article.objects.all()}
    assert len(shown) == 25
    assert [dates[title] for title in shown] == sorted(dates.values(), reverse=True)


@pytest.mark.parametrize(
    "status, hours_from_now",
    [
        (Article.Status.DRAFT, -24),
        (Article.Status.IN_REVIEW, -24),
        (Article.Status.PUBLISHED, 2),
    ],
    ids=["draft", "in-review", "scheduled"],
)
def test_unpublished_articles_never_appear(client, status, hours_from_now):
    hidden = make_article(
        title="Tanker secret",
        status=status,
        published_at=timezone.now() + datetime.timedelta(hours=hours_from_now),
        body="Tanker tanker.",
    )
    make_quote(hidden, text="Tanker talk.")
    make_article(title="Tanker seized")
    response = search(client, "tanker")
    assert found(response) == ["Tanker seized"]
    assert "Tanker secret" not in response.content.decode()


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_shows_no_results_and_no_error(client, query):
    make_article(title="Tanker seized")
    response = search(client, query)
    html = response.content.decode()
    assert found(response) == []
    assert "<h1>Search</h1>" in html
    assert "Tanker seized" not in html
    assert "Nothing matches" not in html


def test_a_missing_query_parameter_shows_the_empty_search_page(client):
    make_article(title="Tanker seized")
    response = client.get("/search/")
    assert found(response) == []
    assert "Tanker seized" not in response.content.decode()


def test_a_query_with_no_words_says_nothing_matches(client):
    make_article(title="Tanker seized")
    response = search(client, "?!…")
    assert found(response) == []
    assert "Nothing matches" in response.content.decode()


# How it shows the results


def test_matched_words_are_highlighted_in_the_headline_and_excerpt(client):
    make_article(
        title="New sanctions on oil",
        body="The sanctions take effect on Monday.",
    )
    html = search(client, "sanction").content.decode()
    assert "New <mark>sanction</mark>s on oil" in html
    assert "The <mark>sanction</mark>s take effect on Monday." in html


def test_the_result_count_and_the_query_are_shown(client):
    make_article(title="Tanker seized")
    make_article(title="Tanker returns")
    html = search(client, "tanker").content.decode()
    assert "2 results for “tanker”" in html


def test_a_search_matching_more_than_it_ranks_says_so(client, monkeypatch):
    from articles.views import SearchView

    monkeypatch.setattr("articles.search.MAX_CANDIDATES", 3)
    monkeypatch.setattr(SearchView, "counted_up_to", 3)
    for n in range(4):
        make_article(title=f"Tanker story {n}")
    html = search(client, "tanker").content.decode()
    assert "3+ results for “tanker”" in html
    assert html.count('class="teaser-title"') == 3
    for n in range(4, 6):
        make_article(title=f"Ferry story {n}")
    assert "2 results for “ferry”" in search(client, "ferry").content.decode()


def test_only_the_newest_matches_are_ranked_headline_matches_first(client, monkeypatch):
    """An older headline match beyond the ranked candidates is left out, not ranked first."""
    monkeypatch.setattr("articles.search.MAX_CANDIDATES", 3)
    make_article(title="Tanker seized long ago", published_at=ago(days=5))
    make_article(title="Tanker sails", published_at=ago(days=4))
    make_article(title="Older body mention", body="A tanker.", published_at=ago(days=3))
    make_article(title="Newest body mention", body="A tanker.", published_at=ago(days=1))
    assert found(search(client, "tanker")) == [
        "Tanker sails",
        "Newest body mention",
        "Older body mention",
    ]


def test_markup_in_a_headline_is_shown_as_text_never_run(client):
    make_article(title="<script>alert('owned')</script> Tanker seized")
    html = search(client, "tanker").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt; <mark>Tanker</mark>" in html


def test_markup_in_the_query_is_shown_as_text_never_run(client):
    make_article(title="Tanker seized")
    html = search(client, '"><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_ampersand_in_the_body_shows_as_an_ampersand_in_the_excerpt(client):
    make_article(title="Telecoms", body="Shares in AT&T rose sharply.")
    html = search(client, "shares").content.decode()
    assert "<mark>Shares</mark> in AT&amp;T rose sharply." in html


# What it refuses, and odd input


def test_a_query_of_the_maximum_length_is_accepted(client):
    assert search(client, "a" * MAX_QUERY_LENGTH).status_code == 200


def test_a_query_over_the_maximum_length_answers_400_with_a_readable_page(client):
    response = search(client, "a" * (MAX_QUERY_LENGTH + 1))
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not understand that request" in html
    assert f"Search for at most {MAX_QUERY_LENGTH} characters at a time." in html


@pytest.mark.parametrize(
    "query_string",
    [
        urlencode({"q": "Zürich"}),
        urlencode({"q": "Київ"}),
        urlencode({"q": "😀 🇺🇦"}),
        urlencode({"q": "שלום עולם"}),
        urlencode({"q": "مرحبا بالعالم"}),
        urlencode({"q": "\u202ereversed\u202c"}),
        urlencode({"q": "a\u0000b"}),
        "q=%ED%A0%80",
        "q=%FF%FE%FD",
        "q=%C3",
        "q=" + "%F0%9F%98%80" * 50,
    ],
    ids=[
        "accents",
        "cyrillic",
        "emoji",
        "hebrew",
        "arabic",
        "bidi-override",
        "nul",
        "lone-surrogate",
        "invalid-utf8",
        "truncated-utf8",
        "many-emoji",
    ],
)
def test_odd_unicode_never_answers_500(client, query_string):
    client.raise_request_exception = False
    make_article(title="Talks in Zürich", standfirst="Київ and שלום.")
    response = client.get("/search/?" + query_string)
    assert response.status_code == 200
    assert "<h1>Search</h1>" in response.content.decode()


def test_a_word_with_an_accent_finds_the_article(client):
    make_article(title="Talks in Zürich")
    assert found(search(client, "Zürich")) == ["Talks in Zürich"]


@pytest.mark.parametrize("word", ["Київ", "Élysée", "Österreich"])
def test_a_capitalised_non_ascii_word_finds_the_article(client, word):
    make_article(title=f"Talks in {word}")
    response = search(client, word)
    assert found(response) == [f"Talks in {word}"]
    assert f"<mark>{word}</mark>" in response.content.decode()


# Pagination


def test_results_are_paginated_and_the_next_page_keeps_the_query(client):
    for hours in range(21):
        make_article(title=f"Tanker report {hours}", published_at=ago(hours=hours + 1))
    first = search(client, "tanker")
    assert len(found(first)) == 20
    assert 'href="?q=tanker&amp;page=2"' in first.content.decode()
    second = search(client, "tanker", page=2)
    assert found(second) == ["Tanker report 20"]


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1"])
def test_a_bad_page_number_answers_404_with_a_readable_page(client, page):
    make_article(title="Tanker seized")
    response = search(client, "tanker", page=page)
    assert response.status_code == 404
    assert "There is no page at this address" in response.content.decode()


# highlight() and excerpt()


def test_highlight_marks_every_word_that_starts_with_a_term():
    assert highlight("Sanctions and sanction, not resanction", ["sanction"]) == (
        "<mark>Sanction</mark>s and <mark>sanction</mark>, not resanction"
    )


def test_highlight_marks_several_terms():
    assert highlight("UK and EU agree", ["uk", "eu"]) == "<mark>UK</mark> and <mark>EU</mark> agree"


def test_highlight_escapes_markup_around_and_inside_marks():
    result = highlight('<b class="x">Tom</b> & Jerry', ["tom"])
    assert result == "&lt;b class=&quot;x&quot;&gt;<mark>Tom</mark>&lt;/b&gt; &amp; Jerry"
    assert isinstance(result, SafeData)


def test_highlight_without_terms_only_escapes():
    result = highlight("<i>Tom</i> & Jerry", [])
    assert result == "&lt;i&gt;Tom&lt;/i&gt; &amp; Jerry"
    assert isinstance(result, SafeData)


def test_highlight_treats_terms_as_words_not_patterns():
    assert highlight("O'Brien and OxBrien", ["o'brien"]) == (
        "<mark>O&#x27;Brien</mark> and OxBrien"
    )
    assert highlight("a.b and axb", ["a.b"]) == "<mark>a.b</mark> and axb"


def test_highlight_finds_non_ascii_words():
    assert highlight("Переговори у Києві", ["києві"]) == "Переговори у <mark>Києві</mark>"


def test_highlight_marks_what_a_case_blind_word_start_pattern_marks_whatever_the_text():
    """Terms that overlap or start inside one another; marks, quotes, ``_``, letters of any case."""
    pieces = [
        "Tanker", "tank", "TANKS", "er", "x", "X1", "_", "'", "-", ".", " ", "&", "<b>",
        "O'Brien", "a.b", "ab", "\n", "é", "Σ", "9", "’", "…", "\u212a", "ß", "s", "I",
    ]  # fmt: skip
    # Letters whose lower case is two letters, or that a case-blind “i” or “s” matches.
    rare = ["İ", "ı", "ſ"]
    rng = random.Random(11)
    for n in range(3000):
        chosen = pieces + rare if n % 3 == 0 else pieces
        text = "".join(rng.choice(chosen) for _ in range(rng.randint(0, 40)))
        terms = rng.choice(
            [["tank"], ["tank", "tanker"], ["tanker", "tank"], ["o'brien"], ["a.b", "b"],
             ["x", "x1"], ["er", "r"], ["é"], ["σ", "tank"], ["9", "_"], ["Tank"], ["is"], ["s"],
             ["ks", "k"]]
        )  # fmt: skip
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, terms)) + r")", re.IGNORECASE)
        parts = pattern.split(text)
        parts[::2] = map(escape, parts[::2])
        parts[1::2] = (f"<mark>{escape(part)}</mark>" for part in parts[1::2])
        assert highlight(text, terms) == "".join(parts), (text, terms)


def test_excerpt_strips_tags_and_marks_the_term():
    html = "<p>The <strong>tanker</strong> was seized.</p>\n<h2>Aftermath</h2>\n<p>Calm.</p>"
    assert excerpt(html, ["tanker"]) == "The <mark>tanker</mark> was seized. Aftermath Calm."


def test_excerpt_escapes_markup_that_is_text():
    result = excerpt("Standfirst with a 5 > 3 claim & more", ["claim"])
    assert result == "Standfirst with a 5 &gt; 3 <mark>claim</mark> &amp; more"


def test_excerpt_shows_entities_of_the_html_as_the_characters_they_stand_for():
    assert excerpt("<p>Shares in AT&amp;T rose</p>", ["shares"]) == (
        "<mark>Shares</mark> in AT&amp;T rose"
    )


def test_excerpt_is_a_window_around_the_first_match_in_a_long_text():
    text = "<p>" + "filler " * 200 + "tanker seized " + "filler " * 200 + "</p>"
    result = excerpt(text, ["tanker"], width=100)
    assert result.startswith("…")
    assert result.endswith("…")
    assert "<mark>tanker</mark> seized" in result
    assert len(result.replace("<mark>", "").replace("</mark>", "")) == 102


def test_excerpt_starts_at_the_beginning_when_the_match_is_near_it():
    text = "<p>Tanker seized " + "filler " * 100 + "</p>"
    result = excerpt(text, ["tanker"], width=50)
    assert result.startswith("<mark>Tanker</mark> seized")
    assert result.endswith("…")


def test_excerpt_without_a_match_shows_the_start_without_ellipses():
    assert excerpt("<p>Short text.</p>", ["tanker"]) == "Short text."


def test_excerpt_counts_each_run_of_spaces_and_tags_as_one_space():
    text = "<p>" + "filler \n\n  <b>x</b> " * 60 + "the <em>tanker</em>\t seized" + " end" * 80
    result = excerpt(text, ["tanker"], width=60)
    plain = result.replace("<mark>", "").replace("</mark>", "")
    assert plain == "…ller x filler x the tanker seized" + " end" * 6 + " en…"


def words_of(html):
    """The text an excerpt is a window of: the words of ``html``, one space between."""
    return " ".join(unescape(re.sub(r"<[^<>]*>", " ", html)).split())


def test_excerpt_is_the_window_of_the_whole_texts_words_whatever_the_text():
    """Whitespace, tags, entities and letters whose case changes length, anywhere."""
    pieces = [
        "tanker", "Tanker", "TANKERS", "port", "x", " ", "  ", "\n", "\t", "\u00a0",
        "\u2003", "<p>", "</p>", "<br>", "&amp;", "&lt;", "ΟΔΟΣ", "Σ", "'", "İ", "ß",
    ]  # fmt: skip
    rng = random.Random(7)
    for _ in range(2000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 300)))
        terms = rng.choice([["tanker"], ["port", "x"], ["zzz"], ["σ"], ["οδοσ"], ["i"]])
        width = rng.choice([220, 40])
        text = words_of(html)
        lowered = text.lower()
        positions = [lowered.find(term) for term in terms if term in lowered]
        start = max(0, min(positions) - width // 3) if positions else 0
        expected = (
            ("…" if start else "")
            + text[start : start + width]
            + ("…" if start + width < len(text) else "")
        )
        assert excerpt(html, terms, width=width) == highlight(expected, terms), html


def test_excerpt_of_a_long_body_is_the_same_read_from_its_start_or_whole():
    """A long body's excerpt, found in its first part, is the one the whole text gives."""
    from articles import search

    paragraph = "<p>Ministers met in London &amp; Brussels to talk about trade.</p>\n"
    early = "<p>The <em>tanker</em> was seized at dawn.</p>" + paragraph * 200
    late = paragraph * 200 + "<p>The tanker was seized at dawn.</p>"
    for body in [early, late]:
        assert len(body) > search.HEAD
        whole = search.unescape(search.TAG.sub(" ", body))
        expected = search._window(whole, ["tanker"], 220) or search._window_of(
            " ".join(whole.split()), ["tanker"], 220
        )
        start, window, more = expected
        shown = ("…" if start else "") + window + ("…" if more else "")
        assert excerpt(body, ["tanker"]) == highlight(shown, ["tanker"])
        assert "<mark>tanker</mark> was seized" in excerpt(body, ["tanker"])
