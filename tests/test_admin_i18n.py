"""The editors' interface in their language: the admin scripts' words come from the server."""

import html
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from articles import script_labels
from tests.factories import make_article

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parent.parent / "static" / "articles"
# t("…") in a script: the first argument, a double-quoted literal.
SHOWN = re.compile(r'\bt\(\s*"((?:[^"\\]|\\.)*)"')


def words_shown(script):
    """The texts ``script`` passes through its translation helper."""
    return {json.loads(f'"{text}"') for text in SHOWN.findall((STATIC / script).read_text())}


@pytest.mark.parametrize(
    ("script", "listed"),
    [
        ("desk.js", script_labels.ARTICLE_FORM),
        ("desk-editing.js", script_labels.ARTICLE_FORM),
        ("blocks-insert.js", script_labels.ARTICLE_FORM),
        ("media/chooser.js", script_labels.PICTURE_CHOOSER),
    ],
)
def test_every_word_a_script_shows_is_sent_translated(script, listed):
    """A word missing from the list would stay in English for every editor."""
    shown = words_shown(script)
    assert shown, f"{script} shows no word through t()"
    assert shown <= set(listed), sorted(shown - set(listed))


def data_labels(page, element_id):
    match = re.search(rf'id="{element_id}"[^>]*\bdata-labels="([^"]*)"', page)
    assert match, f"no data-labels on #{element_id}"
    return json.loads(html.unescape(match.group(1)))


def test_the_article_form_hands_its_scripts_their_words_in_the_editors_language(
    client, editor, monkeypatch
):
    """What the Insert toolbar, the Markdown buttons and the autosave line say."""
    monkeypatch.setattr(script_labels, "gettext", lambda text: f"«{text}»")
    article = make_article(title="Talks in London")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    labels = data_labels(page, "desk")
    assert labels["Insert a pull quote"] == "«Insert a pull quote»"
    assert labels["Bold"] == "«Bold»"
    assert labels["Draft autosaved at {time} (the article itself is not saved yet)."] == (
        "«Draft autosaved at {time} (the article itself is not saved yet).»"
    )
    assert set(labels) == set(script_labels.ARTICLE_FORM)


def test_the_picture_chooser_gets_its_words_from_the_server(client, editor, monkeypatch):
    monkeypatch.setattr(script_labels, "gettext", lambda text: f"«{text}»")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_add")).text
    labels = data_labels(page, "id_lead_image")
    assert labels["Search the picture library"] == "«Search the picture library»"
    assert labels["No lead image"] == "«No lead image»"


def test_english_stays_as_it_was_without_a_translation(client, editor):
    """The default language shows the same words as before, in the form and its scripts."""
    article = make_article(title="Talks in London")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    labels = data_labels(page, "desk")
    assert all(english == said for english, said in labels.items())
    assert 'value="unpublish" class="button">Unpublish</button>' in page

    assert "Compare versions" in page
