"""Articles in several languages: addresses, lists and lookups by the reader's language."""

import io

import pytest

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    original = make_article(title="Talks in London", slug="talks-in-london", tags=["ukraine"])
    french = make_article(
        title="Pourparlers à Londres",
        slug="pourparlers-a-londres",
        language="fr",
        translation_of=original,
        tags=["ukraine"],
        published_at=original.published_at,
    )
    return original, french


def test_french_article_is_read_under_its_prefix(bilingual, client, pair):
    """A French article lives at /fr/articles/...; its English original where it always was."""
    original, french = pair
    assert french.get_absolute_url().startswith("/fr/articles/")
    assert not original.get_absolute_url().startswith("/fr/")
    page = client.get(french.get_absolute_url())
    assert page.status_code == 200
    assert "Pourparlers à Londres" in page.text
    assert client.get(french.get_absolute_url().removeprefix("/fr")).status_code == 404
    assert client.get(original.get_absolute_url()).status_code == 200


def test_lists_show_the_readers_language_only(bilingual, client, pair):
    """The English front page lists the English article, the French one the French."""
    english = client.get("/").text
    french = client.get("/fr/").text
    assert "Talks in London" in english and "Pourparlers" not in english
    assert "Pourparlers à Londres" in french and "Talks in London" not in french
    tag = client.get("/fr/tags/ukraine/").text
    assert "Pourparlers à Londres" in tag and "Talks in London" not in tag


def test_same_slug_on_the_same_day_in_two_languages(bilingual, client):
    """A translation may keep its original's slug: the language tells the addresses apart."""
    original = make_article(title="Budget", slug="budget")
    french = make_article(
        title="Le budget",
        slug="budget",
        language="fr",
        translation_of=original,
        published_at=original.published_at,
    )
    assert client.get(original.get_absolute_url()).text.count("<h1") >= 1
    assert "Le budget" in client.get(french.get_absolute_url()).text
    assert "Le budget" not in client.get(original.get_absolute_url()).text


def test_a_single_language_site_has_no_prefix(client, pair):
    """With one language, /fr/ is no address at all, and no page lists a French article."""
    original, _french = pair
    assert client.get("/fr/").status_code == 404
    assert "Pourparlers" not in client.get("/").text
    assert client.get(original.get_absolute_url()).status_code == 200


def test_import_article_in_french(bilingual, tmp_path):
    """``import_article --language fr`` files the story as a French article at a /fr/ address."""
    from django.core.management import call_command

    story = tmp_path / "story.txt"
    story.write_text("Accord sur la pêche\n\nLes ministres se sont entendus mardi.\n")
    call_command("import_article", str(story), "--language", "fr", stdout=io.StringIO())
    article = Article.objects.get(title="Accord sur la pêche")
    assert article.language == "fr"
    assert article.get_absolute_url().startswith("/fr/articles/")


def test_import_refuses_a_language_the_site_does_not_have(tmp_path):
    """On an English-only site, --language fr is refused before anything is saved."""
    from django.core.management import CommandError, call_command

    story = tmp_path / "story.txt"
    story.write_text("Accord sur la pêche\n\nLes ministres se sont entendus mardi.\n")
    with pytest.raises(CommandError):
        call_command("import_article", str(story), "--language", "fr")
    assert not Article.objects.exists()
