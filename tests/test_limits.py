"""
The limits on text (articles/limits.py), one by one: what is refused and how it is said,
that nothing is lost past the renderer's nesting limit, and that the text paths take
time in proportion to their input.
"""

import datetime
import json
import time

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles import importer, limits
from articles.api.ingest import nesting
from articles.importer.events import find_events
from articles.importer.quotes import find_quotes
from articles.importer.tags import existing_tags_in
from articles.markdown import nesting_problem, render_markdown
from articles.models import ApiToken, Article, Person
from articles.roles import EDITORS
from articles.vocabulary import likely_duplicates, similar_existing
from tests.factories import make_article, make_person, make_staff
from tests.test_admin import article_form_data

SECONDS = 5  # each of these is well under a second on an idle machine

DEEP_LIST = "".join(" " * 2 * n + f"- item {n}\n" for n in range(25)) + "\nAfter the list."


def quickly(function, *args, **kwargs):
    started = time.monotonic()
    result = function(*args, **kwargs)
    assert time.monotonic() - started < SECONDS
    return result


# Markdown


def test_text_past_the_nesting_limit_is_kept_not_dropped():
    html = render_markdown(DEEP_LIST)
    for n in range(25):
        assert f"item {n}" in html
    assert "After the list." in html
    html = render_markdown("> " * 30 + "Deep in quotations.\n\nAfter.")
    assert "Deep in quotations." in html and "After." in html


def test_a_body_nested_too_deeply_is_named_with_its_line():
    problem = nesting_problem("Intro.\n\n" + DEEP_LIST)
    assert "nested too deeply at line 12 (“- item 9”)" in problem
    assert nesting_problem("- one\n  - two\n    - three\n\n> quoted") is None


def test_an_image_in_a_body_keeps_its_text_as_a_link():
    html = render_markdown("See ![the harbour at dawn](https://example.org/h.jpg).")
    assert '<a href="https://example.org/h.jpg"' in html
    assert "the harbour at dawn" in html


def test_a_run_of_unclosed_brackets_renders_in_proportion_to_its_length():
    started = time.monotonic()
    render_markdown("[a" * 5_000)
    small = time.monotonic() - started
    html = quickly(render_markdown, "[a" * 50_000 + " the end")
    assert "the end" in html
    assert small < SECONDS / 10


# The article form


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def errors_of(response):
    return " ".join(str(e) for e in response.context["adminform"].form.errors.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "x" * (limits.MAX_BODY_CHARS + 1), "The body may be at most 100,000 characters"),
        ("body", "Fine.\n\n" + "> " * 30 + "Deep.", "nested too deeply at line 3"),
        ("standfirst", "y" * 2_001, "The standfirst may be at most 2,000 characters"),
        ("new_tags", ", ".join(f"tag {n}" for n in range(10_000)), "at most 30 tags; 10,000"),
    ],
)
def test_the_article_form_refuses_text_past_a_limit_naming_it(editor_client, field, value, message):
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form_data(**{field: value})
    )
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_body_is_rendered_before_the_save_takes_the_database(editor_client, monkeypatch):
    """On SQLite a save's transaction holds the write lock from its start: a long body is
    rendered before it begins, so other editors do not wait for the rendering."""
    from django.db import connection

    from articles import markdown

    render, inside = markdown._markdown.parse, []

    def spy(*args, **kwargs):
        inside.append(connection.in_atomic_block)
        return render(*args, **kwargs)

    monkeypatch.setattr(markdown._markdown, "parse", spy)
    body = "A body rendered once, outside the transaction. " + "[a" * 1_000
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form_data(body=body)
    )
    assert response.status_code == 302
    assert inside == [False]
    assert Article.objects.get().body == body


@pytest.mark.django_db
def test_picked_and_new_tags_count_together(editor_client):
    picked = [Tag.objects.create(name=f"Old {n}", slug=f"old-{n}").pk for n in range(25)]
    data = article_form_data(tags=picked, new_tags=", ".join(f"New {n}" for n in range(6)))
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert "at most 30 tags; this one would have 31" in errors_of(response)
    data["new_tags"] = "New 1, New 2, new 1"
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302


@pytest.mark.django_db
def test_an_article_has_at_most_the_limit_of_quotes(editor_client):
    speaker = make_person(name="Kaja Kallas")
    data = article_form_data()
    count = limits.MAX_QUOTES_PER_ARTICLE + 1
    data["quotes-TOTAL_FORMS"] = str(count)
    for n in range(count):
        data.update(
            {f"quotes-{n}-speaker": speaker.pk, f"quotes-{n}-text": f"Words {n}.",
             f"quotes-{n}-position": n + 1, f"quotes-{n}-role": ""}
        )  # fmt: skip
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "at most 100 quotes; this one would have 101" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_quote_past_its_length_is_refused(editor_client):
    speaker = make_person(name="Kaja Kallas")
    quote = {"TOTAL_FORMS": "1", "0-speaker": speaker.pk, "0-text": "z" * 5_001, "0-position": "1"}
    data = article_form_data(**{f"quotes-{key}": value for key, value in quote.items()})
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert "The quote may be at most 5,000 characters" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_description_past_its_limit_is_refused(editor_client):
    data = {"name": "Kaja Kallas", "slug": "", "role": "", "organisation": ""}
    url = reverse("admin:articles_person_add")
    response = editor_client.post(url, {**data, "description": "d" * 10_001})
    assert "The description may be at most 10,000 characters" in response.content.decode()
    response = editor_client.post(url, {**data, "description": "> " * 30 + "Deep."})
    assert "nested too deeply at line 1" in response.content.decode()
    assert not Person.objects.exists()
    assert editor_client.post(url, {**data, "description": "Estonia's."}).status_code == 302


# The importer


def test_a_story_past_the_import_limit_is_refused_before_it_is_read():
    with pytest.raises(importer.ImportProblem, match="at most 100,000"):
        importer.read_text("[" * 1_000_000)


@pytest.mark.django_db
def test_a_story_with_more_quotes_than_an_article_may_have_is_refused():
    story = "Headline\n\n" + "“One two three four,” she said. " * 3_000
    with pytest.raises(importer.ImportProblem, match="more than 100 quotations"):
        quickly(importer.analyse, importer.read_text(story))
    found = find_quotes(["“One two three four,” she said. " * 3_000], limit=100)
    assert len(found) == 101


@pytest.mark.django_db
def test_a_first_paragraph_too_long_for_a_standfirst_stays_in_the_body():
    proposal = importer.analyse("Headline\n\n" + "word " * 1_000 + "\n\nMore.")
    assert proposal.standfirst == ""
    assert proposal.body.startswith("word word")


@pytest.mark.django_db
def test_saving_an_import_nested_too_deeply_is_refused_and_saves_nothing():
    proposal = importer.analyse("Headline\n\nA standfirst.\n\n" + "> " * 30 + "Deep.")
    with pytest.raises(importer.ImportProblem, match="nested too deeply"):
        importer.save_proposal(proposal)
    assert not Article.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "A" * 99_000,  # capitals without a space: each was read again from every letter
        "Headline\n\n" + "a. Word " * 12_000,  # sentence starts, read from the beginning
        "Headline\n\n" + "Someone said: “" * 6_000,
        "Headline\n\n" + "and so on " * 9_900,
        "Headline\n\n" + "Foo Bar Council " * 6_000,
    ],
)
def test_the_importer_reads_hostile_text_in_proportion_to_its_length(text):
    quickly(importer.analyse, text)


def test_events_past_the_limit_of_names_are_not_looked_up():
    looked_up = []
    text = " ".join(f"Foo{n} Bar Council met." for n in range(200))
    find_events(text, datetime.date(2026, 6, 1), is_known=looked_up.append)
    assert len(looked_up) == limits.MAX_IMPORT_EVENT_NAMES


def test_existing_tags_are_found_among_ten_thousand_in_a_long_story():
    names = [f"Min tag {n}" for n in range(10_000)] + ["Kaja Kallas", "EU", "Kaja", "C++"]
    text = "Talks with kaja kallas and the EU. " * 2_000 + "Not Kajak, not EUR. C++ too."
    found = quickly(existing_tags_in, text, names)
    assert found == ["Kaja Kallas", "EU", "C++"]


# The ingest API


@pytest.fixture
def token():
    return ApiToken.issue(make_staff("edna", EDITORS), "Wire")[1]


def ingest(client, token, body, content_type):
    return client.post(
        "/api/ingest/", body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 500_000, "nests arrays and objects more than 32 deep"),
        ('{"a": ' + "[" * 40 + "]" * 40 + "}", "nests arrays and objects more than 32 deep"),
    ],
)
def test_json_nested_too_deeply_is_refused(client, token, body, message):
    response = ingest(client, token, body, "application/json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_ninjs_body_past_its_limit_is_refused(client, token):
    document = {
        "uri": "urn:example:1",
        "headlines": [{"value": "A headline"}],
        "bodies": [{"value": "&" * 200_001, "contenttype": "text/html"}],
    }
    response = ingest(client, token, json.dumps(document), "application/json")
    assert response.status_code == 400
    assert "at most 200,000 characters" in response.json()["detail"]


def test_nesting_is_measured_without_recursion():
    value = []
    for _ in range(10_000):
        value = [value]
    assert nesting(value) == 10_001
    assert nesting({"a": [1, {"b": 2}]}) == 3


# Clean up and the near-duplicate check


def test_clean_up_finds_near_duplicates_among_ten_thousand_similar_names():
    names = [f"Min tag {n}" for n in range(10_000)]
    names += ["Kaja Kalas", "Kaja Kallas", "Ursula von der Leyen", "Ursula von der Leyn"]
    groups = quickly(likely_duplicates, names, limit=10_000)
    assert ["Kaja Kalas", "Kaja Kallas"] in groups
    assert ["Ursula von der Leyen", "Ursula von der Leyn"] in groups
    assert len(likely_duplicates(names)) == limits.MAX_DUPLICATE_GROUPS


def test_a_difference_at_the_start_is_found_too():
    names = ["Kaja Kallas", *(f"Jx {n}" for n in range(50)), "Caja Kallas"]
    assert ["Caja Kallas", "Kaja Kallas"] in likely_duplicates(names)


@pytest.mark.django_db
def test_saving_a_name_compares_it_with_a_bounded_number_of_others(django_assert_max_num_queries):
    Person.objects.bulk_create(
        [Person(name=f"Min person {n}", slug=f"min-person-{n}") for n in range(10_000)]
        + [Person(name="Kaja Kallas", slug="kaja-kallas")]
    )
    with django_assert_max_num_queries(5):
        assert quickly(similar_existing, Person.objects.all(), "Kaja Kalas") == ["Kaja Kallas"]


# Search


@pytest.mark.django_db
def test_the_admin_article_search_of_thousands_of_hyphenated_words_answers(editor_client):
    make_article(title="Harbour news")
    query = "-".join(f"w{n}" for n in range(20_000))
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"q": query})
    assert response.status_code == 200


def test_tagging_in_bulk_stops_at_the_tag_limit_and_says_so(client, db):
    full = make_article(tags=[f"Subject {n}" for n in range(limits.MAX_TAGS_PER_ARTICLE)])
    roomy = make_article(tags=["Ukraine"])
    client.force_login(make_staff("edna", EDITORS))
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "add_tag_to_selected",
            "tag_name": "Sanctions",
            "_selected_action": [full.pk, roomy.pk],
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 article(s) tagged" in page
    assert f"the most an article may have ({limits.MAX_TAGS_PER_ARTICLE})" in page
    assert full.tags.count() == limits.MAX_TAGS_PER_ARTICLE
    assert "Sanctions" not in {tag.name for tag in full.tags.all()}
    assert {tag.name for tag in roomy.tags.all()} == {"Ukraine", "Sanctions"}


def test_a_search_excerpt_reads_a_hostile_body_in_one_pass():
    from articles.search import excerpt

    bodies = ["&" * limits.MAX_BODY_CHARS, "<" * limits.MAX_BODY_CHARS, "&#" * 50_000]
    for body in bodies:
        shown = quickly(excerpt, render_markdown(body) + "<p>the word</p>", ["word"])
        assert "<mark>word</mark>" in shown


@pytest.mark.django_db
def test_the_quote_limit_counts_the_quotes_saved_not_the_forms_posted(editor_client):
    """A forged form that leaves out the article's quotes (and says it has none) still
    meets the limit: those quotes stay, so they count."""
    from tests.factories import make_quote
    from tests.test_editorial import form_data

    article = make_article(tags=["Ukraine"])
    speaker = make_person(name="Kaja Kallas")
    for n in range(limits.MAX_QUOTES_PER_ARTICLE):
        make_quote(article, speaker, text=f"Words {n}.", position=n + 1)
    data = form_data(article)
    data.update(
        {"quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "0", "quotes-0-speaker": speaker.pk,
         "quotes-0-text": "One too many.", "quotes-0-position": "101", "quotes-0-role": ""}
    )  # fmt: skip
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "at most 100 quotes; this one would have 101" in response.content.decode()
    assert article.quotes.count() == limits.MAX_QUOTES_PER_ARTICLE


@pytest.mark.django_db
def test_ninjs_events_are_each_looked_up_once_and_no_more_than_the_limit(client, token):
    from tests.test_api_ingest import ninjs

    names = [f"Summit number {n}" for n in range(limits.MAX_IMPORT_EVENT_NAMES + 20)]
    document = ninjs(events=[{"name": name} for name in names for _ in range(50)])
    started = time.monotonic()
    response = ingest(client, token, json.dumps(document), "application/json")
    assert time.monotonic() - started < SECONDS
    assert response.status_code == 201, response.content
    notes = " ".join(response.json()["notes"])
    assert f"Only the first {limits.MAX_IMPORT_EVENT_NAMES} events were looked up" in notes
    assert notes.count("is not known yet") == limits.MAX_IMPORT_EVENT_NAMES


def test_a_linked_image_keeps_its_link_and_an_image_without_text_adds_none():
    html = render_markdown("[![Read the report](https://example.org/b.png)](https://example.org/r)")
    assert html.count("<a ") == 1
    assert (
        '<a href="https://example.org/r" rel="noopener noreferrer nofollow">Read the report</a>'
        in html
    )
    assert "<a" not in render_markdown("![](https://example.org/h.jpg) Then the talks began.")


@pytest.mark.django_db
def test_the_migration_renders_stored_bodies_again():
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    article = make_article(body="Before.\n\n" + "> " * 30 + "Deep.\n\nAfter the deep part.")
    Article.objects.filter(pk=article.pk).update(body_html="<p>Before.</p>")  # as stored before
    migration = importlib.import_module("articles.migrations.0012_render_bodies_again")
    # What the migration reads of its schema editor: the connection it runs on.
    migration.render_again(apps, SimpleNamespace(connection=connection))
    assert "After the deep part." in Article.objects.get(pk=article.pk).body_html
