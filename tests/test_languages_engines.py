"""
Articles in several languages as search engines, apps and the archive see them: sitemaps
with their alternates, the API and ninjs with each article's language and translations,
an archive that keeps translations, and the demo's French translation.
"""

import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Event, Person, Quote, Tag
from articles.structured_data import absolute
from tests.factories import TWO_LANGUAGES, make_article, make_event, make_person
from tests.test_api_ninjs import assert_valid_ninjs

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


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


def sitemap(client, url):
    """Each listed address with its alternates: ``{loc: {hreflang: href}}``."""
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.find("sm:loc", NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        for url in root.findall("sm:url", NS)
    }


# Sitemaps


def test_articles_sitemap_gives_each_translation_its_alternates(bilingual, client, pair):
    """Both articles are listed, each naming the other and the original as x-default."""
    original, french = pair
    lonely = make_article(title="Only in English")
    english_url = ORIGIN + original.get_absolute_url()
    french_url = ORIGIN + french.get_absolute_url()
    expected = {"en-gb": english_url, "fr": french_url, "x-default": english_url}
    listed = sitemap(client, "/sitemap-articles.xml")
    assert listed[english_url] == expected
    assert listed[french_url] == expected
    assert french_url.startswith(f"{ORIGIN}/fr/articles/")
    # An article without a public translation has no alternates to give.
    assert listed[ORIGIN + lonely.get_absolute_url()] == {}


def test_a_translation_not_yet_published_is_no_alternate(bilingual, client, pair):
    original, french = pair
    french.status = Article.Status.DRAFT
    french.save()
    listed = sitemap(client, "/sitemap-articles.xml")
    assert ORIGIN + french.get_absolute_url() not in listed
    assert listed[ORIGIN + original.get_absolute_url()] == {}


def test_fixed_pages_are_listed_in_each_language(bilingual, client, pair):
    """The tag page once per language, each with both alternates and x-default."""
    expected = {
        "en-gb": f"{ORIGIN}/tags/ukraine/",
        "fr": f"{ORIGIN}/fr/tags/ukraine/",
        "x-default": f"{ORIGIN}/tags/ukraine/",
    }
    tags = sitemap(client, "/sitemap-tags.xml")
    assert tags == {f"{ORIGIN}/tags/ukraine/": expected, f"{ORIGIN}/fr/tags/ukraine/": expected}
    pages = sitemap(client, "/sitemap-pages.xml")
    assert pages[f"{ORIGIN}/fr/"] == {
        "en-gb": f"{ORIGIN}/",
        "fr": f"{ORIGIN}/fr/",
        "x-default": f"{ORIGIN}/",
    }


def test_articles_sitemap_runs_the_same_queries_for_one_group_or_many(
    bilingual, client, django_assert_num_queries
):
    """The alternates of a whole sitemap page are read in one query."""

    def add_group(n):
        original = make_article(title=f"Story {n}", slug=f"story-{n}")
        make_article(slug=f"histoire-{n}", language="fr", translation_of=original)

    add_group(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/sitemap-articles.xml").status_code == 200
    for n in range(2, 7):
        add_group(n)
    with django_assert_num_queries(len(one.captured_queries)):
        listed = sitemap(client, "/sitemap-articles.xml")
    assert len(listed) == 12 and all(len(links) == 3 for links in listed.values())


def test_a_single_language_site_lists_addresses_once_without_alternates(client, pair):
    original, _french = pair
    articles = sitemap(client, "/sitemap-articles.xml")
    # The French article, in no language of this site, cannot be read: it is not listed.
    assert articles == {ORIGIN + original.get_absolute_url(): {}}
    assert sitemap(client, "/sitemap-tags.xml") == {f"{ORIGIN}/tags/ukraine/": {}}


def test_news_sitemap_gives_each_articles_language(bilingual, client, pair):
    original, french = pair
    response = client.get("/sitemap-news.xml")
    root = ET.fromstring(response.content)
    found = {
        urlsplit(url.find("sm:loc", NS).text).path: url.find(
            "news:news/news:publication/news:language", NS
        ).text
        for url in root.findall("sm:url", NS)
    }
    assert found == {original.get_absolute_url(): "en", french.get_absolute_url(): "fr"}


# Search


def search(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return [result["article"].title for result in response.context["results"]]


@pytest.fixture
def negotiations():
    english = make_article(
        title="Talks resume in Brussels",
        body="The negotiation on fishing rights resumed on Monday.",
    )
    french = make_article(
        title="Reprise des pourparlers à Bruxelles",
        slug="reprise-des-pourparlers",
        body="La négociation sur les droits de pêche a repris lundi.",
        language="fr",
        translation_of=english,
    )
    return english, french


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stemming each language's words is PostgreSQL's text search; SQLite matches prefixes",
)
def test_french_search_finds_a_french_article_by_a_stemmed_word(bilingual, client, negotiations):
    """“négociations” finds “négociation” as French stemming reads both: the same word."""
    _english, french = negotiations
    assert search(client, "/fr/search/", "négociations") == [french.title]
    # Words only French stemming takes for the same word (English leaves them apart).
    assert search(client, "/fr/search/", "négocié") == [french.title]
    assert search(client, "/fr/search/", "négociateurs") == [french.title]


def test_each_language_searches_its_own_articles(bilingual, client, negotiations):
    english, french = negotiations
    assert search(client, "/fr/search/", "négociation") == [french.title]
    assert search(client, "/search/", "négociation") == []
    assert search(client, "/search/", "negotiation") == [english.title]
    assert search(client, "/fr/search/", "negotiation") == []


def test_the_editors_search_finds_articles_of_every_language(bilingual, negotiations):
    from articles import search as article_search

    found = article_search.matching(Article.objects.all(), "négociation")
    assert [article.title for article in found] == ["Reprise des pourparlers à Bruxelles"]
    found = article_search.matching(Article.objects.all(), "negotiation")
    assert [article.title for article in found] == ["Talks resume in Brussels"]


# The API and ninjs


def test_api_articles_carry_their_language_and_translations(bilingual, client, pair):
    original, french = pair
    english = client.get(f"/api/articles/{original.pk}/").json()
    assert english["language"] == "en-gb"
    assert english["translations"] == [
        {"language": "fr", "id": french.pk, "url": f"{ORIGIN}/api/articles/{french.pk}/"}
    ]
    translated = client.get(f"/api/articles/{french.pk}/").json()
    assert translated["language"] == "fr"
    assert translated["canonical_url"].endswith(french.get_absolute_url())
    assert [t["id"] for t in translated["translations"]] == [original.pk]


def test_api_lists_every_language_or_the_one_asked_for(bilingual, client, pair):
    original, french = pair
    listed = client.get("/api/articles/").json()["results"]
    assert sorted(a["id"] for a in listed) == sorted([original.pk, french.pk])
    only_french = client.get("/api/articles/", {"language": "fr"}).json()["results"]
    assert [a["headline"] for a in only_french] == ["Pourparlers à Londres"]
    searched = client.get("/api/articles/", {"language": "fr", "q": "pourparlers"}).json()
    assert [a["id"] for a in searched["results"]] == [french.pk]


@pytest.mark.parametrize("language", ["de", "klingon", ""])
def test_api_refuses_a_language_the_site_does_not_have(bilingual, client, pair, language):
    response = client.get("/api/articles/", {"language": language})
    assert response.status_code == 400
    assert "not a language of this site" in response.json()["detail"]
    assert "en-gb, fr" in response.json()["detail"]


def test_a_translation_not_published_is_not_listed_among_translations(bilingual, client, pair):
    original, french = pair
    french.status = Article.Status.DRAFT
    french.save()
    assert client.get(f"/api/articles/{original.pk}/").json()["translations"] == []
    assert client.get(f"/api/articles/{french.pk}/").status_code == 404


def test_api_list_runs_the_same_queries_for_one_group_or_many(
    bilingual, client, django_assert_num_queries
):
    """The translations of a whole page are read at once."""

    def add_group(n):
        original = make_article(title=f"Story {n}", slug=f"story-{n}")
        make_article(title=f"Histoire {n}", slug=f"histoire-{n}", language="fr",
                     translation_of=original)  # fmt: skip

    add_group(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/articles/").status_code == 200
    for n in range(2, 6):
        add_group(n)
    with django_assert_num_queries(len(one.captured_queries)):
        data = client.get("/api/articles/").json()
    assert len(data["results"]) == 10
    assert all(len(article["translations"]) == 1 for article in data["results"])


def test_ninjs_gives_the_articles_language_and_its_translations(bilingual, client, pair):
    original, french = pair
    item = client.get(f"/api/articles/{french.pk}/ninjs/").json()
    assert item["language"] == "fr"
    assert_valid_ninjs(item)
    assert item["associations"] == [
        {
            "name": "translation-en-gb",
            "uri": absolute(original.get_absolute_url()),
            "type": "text",
            "language": "en-GB",
            "headlines": [{"role": "main", "value": "Talks in London"}],
        }
    ]
    assert client.get(f"/api/articles/{original.pk}/ninjs/").json()["language"] == "en-GB"


def ingest(client, token, body, content_type="text/plain", **params):
    url = "/api/ingest/" + ("?" + urlencode(params) if params else "")
    return client.post(url, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def token():
    from articles.models import ApiToken
    from articles.roles import WRITERS
    from tests.factories import make_staff

    return ApiToken.issue(make_staff("wendy", WRITERS), "Agency feed")[1]


STORY = "Ministres réunis à Bruxelles\n\nLes ministres se sont réunis lundi.\n\nIls continuent."


def test_ingest_takes_the_stories_language(bilingual, client, token):
    response = ingest(client, token, STORY, language="fr")
    assert response.status_code == 201
    assert Article.objects.get(pk=response.json()["id"]).language == "fr"
    document = {
        "uri": "urn:agency:story:2",
        "type": "text",
        "language": "fr-FR",  # a French the site has one of: its French
        "headlines": [{"role": "main", "value": "Accord sur la pêche"}],
        "bodies": [
            {"role": "main", "contenttype": "text/plain", "value": "Un accord a été trouvé."}
        ],
    }
    response = ingest(client, token, json.dumps(document), "application/json")
    assert response.status_code == 201
    assert Article.objects.get(pk=response.json()["id"]).language == "fr"
    # Without a language: the site's first.
    response = ingest(client, token, STORY.replace("Ministres", "Les ministres"))
    assert Article.objects.get(pk=response.json()["id"]).language == "en-gb"


def test_ingest_refuses_a_language_the_site_does_not_have(bilingual, client, token):
    response = ingest(client, token, STORY, language="de")
    assert response.status_code == 400
    assert "“de” is not a language of this site" in response.json()["detail"]
    document = {
        "uri": "urn:agency:story:3",
        "type": "text",
        "language": "it",
        "headlines": [{"role": "main", "value": "Accordo"}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Un accordo."}],
    }
    response = ingest(client, token, json.dumps(document), "application/json")
    assert response.status_code == 400 and "“it”" in response.json()["detail"]
    assert not Article.objects.exists()


# The archive


@pytest.fixture
def translated(pair):
    """The pair with a translated quote, and names and roles in French."""
    from articles.models import ArticleEvent, Quote, Tag, TagProfile

    original, french = pair
    speaker = make_person(name="David Lammy", role="Foreign Secretary")
    speaker.translations = {"fr": {"role": "ministre des Affaires étrangères"}}
    speaker.save()
    event = make_event(name="UK–EU summit")
    event.translations = {"fr": {"name": "Sommet Royaume-Uni–UE"}}
    event.save()
    ArticleEvent.objects.create(article=french, event=event, kind="reports_on")
    TagProfile.objects.create(
        tag=Tag.objects.get(slug="ukraine"), translations={"fr": {"name": "Ukraine (fr)"}}
    )
    Quote.objects.create(
        article=french,
        speaker=speaker,
        position=1,
        role="ministre des Affaires étrangères",
        text="Nous sommes unis.",
        original_text="We stand together.",
        original_language="en-gb",
    )
    french.translation_source = {
        "version": 1,
        "title": original.title,
        "standfirst": "",
        "body": "",
    }
    french.save()
    return original, french


def test_an_archive_keeps_translations(bilingual, translated, tmp_path, media_root):
    """Export, empty, import: the same articles, languages, translations and names."""
    from tests.test_archive import canonical_dump, export_then_restore

    before, _ = canonical_dump()
    export_then_restore(tmp_path, media_root)
    after, _ = canonical_dump()
    for label in before:
        assert after[label] == before[label], label
    french = Article.objects.get(language="fr")
    assert french.translation_of == Article.objects.get(language="en-gb")
    assert french.translation_source["title"] == "Talks in London"
    quote = french.quotes.get()
    assert (quote.original_text, quote.original_language) == ("We stand together.", "en-gb")
    assert quote.speaker.translated("role", "fr")[0] == "ministre des Affaires étrangères"


def test_an_archive_from_before_languages_restores_in_the_default_language(
    translated, tmp_path, media_root
):
    """Format 3 without languages: every article in the site's first, none a translation."""
    from articles.archive import ArchiveError
    from tests.test_archive import empty_the_database, rewrite

    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())

    def as_format_3(data):
        data["version"] = 3
        for article in data["articles"]:
            for field in ("language", "translation_of", "translation_source"):
                del article[field]
            for quote in article["quotes"]:
                del quote["original_text"], quote["original_language"]
        for item in [*data["people"], *data["events"]]:
            del item["translations"]
        for tag in data["tags"]:
            if tag["profile"]:
                del tag["profile"]["translations"]

    def translating_nothing(data):
        data["articles"][1]["translation_of"] = 7

    for change, problem in [(translating_nothing, "does not hold: 7")]:
        broken = rewrite(path, change)
        with pytest.raises((ArchiveError, CommandError), match=problem):
            call_command("import_archive", str(broken), "--replace", stdout=io.StringIO())
    old = rewrite(path, as_format_3)
    empty_the_database(media_root)
    call_command("import_archive", str(old), stdout=io.StringIO())
    assert set(Article.objects.values_list("language", "translation_of")) == {("en-gb", None)}
    assert {q.original_language for q in Quote.objects.all()} == {""}
    assert Person.objects.get().translations == {}


# The demo


def test_the_demo_has_a_french_translation_created_once(client):
    """None on an English site; once French is added, one, however often the demo loads."""
    from articles.demo import load_demo

    seed, _ = load_demo()
    assert not Article.objects.filter(language="fr").exists()
    with override_settings(LANGUAGES=TWO_LANGUAGES, LANGUAGE_CODE="en-gb"):
        load_demo()
        load_demo()
        french = Article.objects.get(language="fr")
        assert french.translation_of == seed and french.is_public
        assert french.title.startswith("Le Royaume-Uni et l’UE unissent leurs forces")
        assert set(french.tags.names()) == set(seed.tags.names())
        assert {link.event_id for link in french.event_links.all()} == {
            link.event_id for link in seed.event_links.all()
        }
        quotes = {q.speaker.name: q for q in french.quotes.all()}
        lammy, healey = quotes["David Lammy"], quotes["John Healey"]
        assert lammy.role == "ministre des Affaires étrangères"
        assert lammy.is_translation and lammy.original_language == "en-gb"
        assert lammy.original_text == seed.quotes.get(speaker__slug="david-lammy").text
        assert healey.text.endswith("La sécurité européenne commence en Ukraine.")
        assert healey.original_text.endswith("European security starts in Ukraine.")
        assert healey.speaker.translated("role", "fr") == ("ministre de la Défense", "fr")
        page = client.get(french.get_absolute_url())
        assert page.status_code == 200
        assert "Un Royaume-Uni fort et sûr" in page.text
        summit = Event.objects.get(slug="uk-eu-summit-2025")
        assert summit.translated("name", "fr") == ("Sommet Royaume-Uni–UE", "fr")
        profile = Tag.objects.get(name="Russia").profile
        assert profile.translated("name", "fr") == ("Russie", "fr")
        # The sitemap pairs it with the seed.
        listed = sitemap(client, "/sitemap-articles.xml")
        assert listed[ORIGIN + french.get_absolute_url()]["en-gb"].endswith(seed.get_absolute_url())
