"""Articles as IPTC ninjs 2.1, valid against the official schema (tests/data)."""

import datetime
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator

from articles.models import ArticleEvent
from tests.factories import link_event, make_article, make_event, make_person, make_quote, make_user

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "data" / "ninjs-schema_2.1.json").read_text())


def assert_valid_ninjs(item):
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(item), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    # The schema's formats, which jsonschema checks only with optional extras installed.
    for moment in ("firstcreated", "versioncreated"):
        assert datetime.datetime.fromisoformat(item[moment]).tzinfo is not None
    for uri in find_values(item, {"uri", "href"}):
        assert urlsplit(uri).scheme in ("http", "https") and urlsplit(uri).netloc, uri


def find_values(data, keys):
    if isinstance(data, dict):
        for key, value in data.items():
            if key in keys:
                yield value
            yield from find_values(value, keys)
    elif isinstance(data, list):
        for value in data:
            yield from find_values(value, keys)


def test_the_seed_article_is_valid_ninjs_with_everything_it_carries(client, demo_article):
    item = client.get(f"/api/articles/{demo_article.pk}/ninjs/").json()
    assert_valid_ninjs(item)
    assert item["uri"] == "http://127.0.0.1:8000" + demo_article.get_absolute_url()
    assert item["type"] == "text" and item["language"] == "en-GB"
    assert item["headlines"] == [{"role": "main", "value": demo_article.title}]
    assert item["descriptions"][0]["value"] == demo_article.standfirst
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert item["bodies"][0]["value"] == demo_article.body_html
    assert item["located"] == demo_article.dateline
    assert item["firstcreated"].startswith("2025-03-18T")
    assert [p["name"] for p in item["people"]] == ["David Lammy", "John Healey"]
    assert {p["rel"] for p in item["people"]} == {"quoted"}
    subjects = {s["name"] for s in item["subjects"]}
    assert {"Ukraine", "Russia", "sanctions", "defence"} <= subjects
    events = {e["name"]: e["rel"] for e in item["events"]}
    assert events["UK–EU Summit"] in set(ArticleEvent.Kind.values)
    assert item["renditions"] and all(r["href"].startswith("http") for r in item["renditions"])
    assert item["associations"][0]["type"] == "picture"


def test_generated_articles_are_valid_ninjs(client):
    """A bare article, and one with odd text, several authors, quotes and every kind of link."""
    bare = make_article(standfirst="", body="", dateline="")
    full = make_article(
        title="“Quoted” <headline> & more", standfirst="Ünïcödé standfirst — with dashes.",
        body="Para one.\n\n## Heading\n\n- a list\n\n> a quote", dateline="Київ",
        tags=["Україна", "C++", "sanctions"],
    )  # fmt: skip
    full.authors.add(make_user(first_name="A", last_name="B"), make_user())
    speaker = make_person(name="Kaja Kallas")
    make_quote(full, speaker, text="One.")
    make_quote(full, speaker, text="Two.")  # one person, however often quoted
    for kind in ArticleEvent.Kind.values:
        link_event(full, make_event(), kind=kind)

    for article in (bare, full):
        item = client.get(f"/api/articles/{article.pk}/ninjs/").json()
        assert_valid_ninjs(item)
    assert "descriptions" not in client.get(f"/api/articles/{bare.pk}/ninjs/").json()
    item = client.get(f"/api/articles/{full.pk}/ninjs/").json()
    assert [p["name"] for p in item["people"]] == ["Kaja Kallas"]
    assert sorted(e["rel"] for e in item["events"]) == sorted(ArticleEvent.Kind.values)
    assert item["by"].startswith("A B and ")
    assert item["bodies"][0]["wordcount"] == 7  # Para one. Heading a list a quote


def test_a_subject_s_uri_is_its_tag_page_as_a_uri(client):
    """A tag's Unicode letters are percent-encoded: a URI has no "ü"."""
    article = make_article(tags=["Zürich"])
    item = client.get(f"/api/articles/{article.pk}/ninjs/").json()
    [subject] = item["subjects"]
    assert subject["uri"] == "http://127.0.0.1:8000/tags/z%C3%BCrich/"
    assert client.get(urlsplit(subject["uri"]).path).status_code == 200


def test_a_french_article_s_subjects_are_their_french_pages(client, settings):
    """The pages of its tags, speakers and events exist in its language: it is on them."""
    from django.test import override_settings

    from tests.factories import TWO_LANGUAGES

    with override_settings(LANGUAGES=TWO_LANGUAGES, LANGUAGE_CODE="en-gb"):
        article = make_article(language="fr", tags=["Grève"])
        make_quote(article, make_person(name="Élisabeth Borne"))
        link_event(article, make_event(name="Sommet", slug="sommet"))
        item = client.get(f"/api/articles/{article.pk}/ninjs/").json()
        uris = [s["uri"] for key in ("subjects", "people", "events") for s in item[key]]
        assert [urlsplit(uri).path for uri in uris] == [
            "/fr/tags/gr%C3%A8ve/",
            "/fr/people/elisabeth-borne/",
            "/fr/events/sommet/",
        ]
        for uri in uris:
            assert client.get(urlsplit(uri).path).status_code == 200, uri
