"""Readers' pages in several languages: switcher, hreflang, lang, names, quotes, dates, feeds."""

import datetime
import html as html_module
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from taggit.models import Tag

from articles.live import services
from articles.models import Article, Quote, TagProfile
from articles.templatetags.newsroom import number
from tests.factories import (
    TWO_LANGUAGES,
    link_event,
    make_article,
    make_event,
    make_person,
    make_quote,
)

pytestmark = pytest.mark.django_db

SITE_URL = "https://news.example"
MARCH_18 = datetime.datetime(2025, 3, 18, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def bilingual(settings):
    settings.SITE_URL = SITE_URL
    with override_settings(LANGUAGES=TWO_LANGUAGES, LANGUAGE_CODE="en-gb"):
        yield


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def make_pair(**french):
    original = make_article(
        title="Talks in London", slug="talks", tags=["Ukraine"], published_at=MARCH_18
    )
    translation = make_article(
        **{
            "title": "Pourparlers à Londres",
            "slug": "pourparlers",
            "language": "fr",
            "translation_of": original,
            "tags": ["Ukraine"],
            "published_at": MARCH_18,
            **french,
        }
    )
    return original, translation


@pytest.fixture
def pair(bilingual):
    return make_pair()


def switcher(html):
    """The language switcher's links and current language: {code: href or "current"}."""
    # The label is interface text: “Languages”, or its translation on a translated page.
    nav = re.search(r'<nav class="languages" aria-label="[^"]+"><ul>(.*?)</ul></nav>', html)
    assert nav, "no language switcher"
    links = dict(
        (code, html_module.unescape(href))
        for href, code in re.findall(r'<a href="([^"]*)" hreflang="([^"]*)" lang="[^"]*">', nav[1])
    )
    for code in re.findall(r'<span aria-current="true" lang="([^"]*)">', nav[1]):
        links[code] = "current"
    return links


def hreflang(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]*)" href="([^"]*)">', html))


def test_the_switcher_goes_to_the_articles_translation(client, pair):
    """On an article, the other language's link is its translation, the current one no link."""
    original, french = pair
    links = switcher(client.get(original.get_absolute_url()).text)
    assert links == {"en-gb": "current", "fr": french.get_absolute_url()}
    links = switcher(client.get(french.get_absolute_url()).text)
    assert links == {"en-gb": original.get_absolute_url(), "fr": "current"}
    english = client.get(original.get_absolute_url()).text
    assert '<nav class="languages" aria-label="Languages">' in english
    assert ">français</a>" in english


def test_an_article_without_translation_switches_to_the_front_page(bilingual, client):
    """No French version of an English article: the French link is the French front page."""
    article = make_article(tags=["Ukraine"])
    assert switcher(client.get(article.get_absolute_url()).text)["fr"] == "/fr/"


def test_other_pages_switch_to_the_same_path(client, pair):
    """A tag page's French link is /fr/tags/..., and back; a list keeps its query string."""
    assert switcher(client.get("/tags/ukraine/").text)["fr"] == "/fr/tags/ukraine/"
    assert switcher(client.get("/fr/tags/ukraine/").text)["en-gb"] == "/tags/ukraine/"
    assert switcher(client.get("/fr/").text)["en-gb"] == "/"
    links = switcher(client.get("/articles/?tag=ukraine&page=1").text)
    assert links["fr"] == "/fr/articles/?tag=ukraine&page=1"


def test_hreflang_of_an_article_and_its_translation(client, pair):
    """Both versions name each other, absolute, and the original as x-default."""
    original, french = pair
    for page in [original, french]:
        links = hreflang(client.get(page.get_absolute_url()).text)
        assert links == {
            "en-gb": SITE_URL + original.get_absolute_url(),
            "fr": SITE_URL + french.get_absolute_url(),
            "x-default": SITE_URL + original.get_absolute_url(),
        }


def test_hreflang_of_a_list_page(client, pair):
    """A list exists in every language of the site; x-default is the first language's."""
    links = hreflang(client.get("/fr/tags/ukraine/").text)
    assert links == {
        "en-gb": f"{SITE_URL}/tags/ukraine/",
        "fr": f"{SITE_URL}/fr/tags/ukraine/",
        "x-default": f"{SITE_URL}/tags/ukraine/",
    }


def test_a_single_language_site_has_no_switcher_nor_hreflang(client):
    """With one language there is nothing to switch to."""
    original, _french = make_pair()
    for url in [original.get_absolute_url(), "/", "/tags/ukraine/"]:
        html = client.get(url).text
        assert 'class="languages"' not in html and "hreflang" not in html, url
        assert '<html lang="en-GB">' in html


def test_a_draft_translation_is_in_no_hreflang_nor_switcher(bilingual, client):
    """A translation still in draft is not linked to from its published original."""
    original, draft = make_pair(status=Article.Status.DRAFT)
    html = client.get(original.get_absolute_url()).text
    assert "fr" not in hreflang(html)
    assert switcher(html)["fr"] == "/fr/"
    assert draft.get_absolute_url() not in html


def test_html_lang_is_the_pages_language(client, pair):
    """<html lang> says the page's language, error pages too."""
    assert '<html lang="fr">' in client.get("/fr/").text
    assert '<html lang="en-GB">' in client.get("/").text
    missing = client.get("/fr/tags/nowhere-at-all/")
    assert missing.status_code == 404 and '<html lang="fr">' in missing.text


def test_untranslated_names_are_marked_with_their_language(client, pair):
    """On a French page a tag without a French name shows the English one in lang="en-gb"."""
    _original, french = pair
    make_article(title="Sanctions", language="fr", tags=["Sanctions"])
    TagProfile.objects.create(
        tag=Tag.objects.get(name="Ukraine"), translations={"fr": {"name": "Ukraine (FR)"}}
    )
    page = client.get(french.get_absolute_url()).text
    assert ">Ukraine (FR)</a>" in page
    front = client.get("/fr/").text
    assert '<span lang="en-gb">Sanctions</span>' in front
    assert "Ukraine (FR)" in front
    assert '<span lang="en-gb">Ukraine (FR)' not in front
    # The English site shows the names as written, unmarked.
    english = client.get("/").text
    assert ">Ukraine</a>" in english and 'lang="en-gb">Ukraine' not in english
    assert "Ukraine (FR)" in client.get("/fr/tags/").text
    chips = client.get("/fr/articles/?tag=ukraine").text
    assert "Ukraine (FR)" in chips and "Tag:" not in chips  # named and labelled in French


def test_roles_and_event_names_in_the_readers_language(client, pair):
    """A speaker's role and an event's name are shown translated on French pages."""
    original, french = pair
    person = make_person(
        name="David Lammy",
        slug="david-lammy",
        role="Foreign Secretary",
        translations={"fr": {"role": "ministre des Affaires étrangères"}},
    )
    make_quote(french, speaker=person, role="ministre des Affaires étrangères")
    make_quote(original, speaker=person)
    event = make_event(
        name="UK–EU Summit",
        slug="summit",
        starts_on=datetime.date.today() + datetime.timedelta(days=30),  # upcoming: on /fr/
        translations={"fr": {"name": "Sommet Royaume-Uni–UE"}},
    )
    link_event(french, event)
    assert "ministre des Affaires étrangères" in client.get("/fr/people/david-lammy/").text
    assert "Foreign Secretary" in client.get("/people/david-lammy/").text
    for url in [french.get_absolute_url(), "/fr/events/summit/", "/fr/tags/ukraine/", "/fr/"]:
        html = client.get(url).text
        assert "Sommet Royaume-Uni–UE" in html and "UK–EU Summit</" not in html, url


def test_a_translated_quote_shows_the_words_as_said(client, pair):
    """A translated quote: its translation, a note, and the original words in their language."""
    _original, french = pair
    make_quote(
        french,
        speaker=make_person(slug="lammy"),
        text="Nous sommes unis.",
        original_text="We stand together.",
        original_language="en",
    )
    for url in [french.get_absolute_url(), "/fr/people/lammy/"]:
        html = client.get(url).text
        assert "Nous sommes unis." in html
        assert re.search(
            r'<details class="quote-original"><summary>[^<]+</summary>'
            r'<blockquote lang="en"><p>We stand together.</p></blockquote></details>',
            html,
        ), url


def test_a_translated_quote_in_a_live_update_shows_the_words_as_said(bilingual, client, writer):
    """A live update's translated quote carries the same note as the article's quotes."""
    article = make_article(language="fr")
    article.authors.add(writer)
    services.make_live(article)
    update = services.post_update(
        article, writer, "Elle a parlé.", quotes=[(make_person(), "", "Nous sommes unis.")]
    )
    Quote.objects.filter(update=update).update(
        original_text="We stand together.", original_language="en"
    )
    html = client.get(article.get_absolute_url()).text
    assert "Nous sommes unis." in html
    assert '<blockquote lang="en"><p>We stand together.</p></blockquote>' in html


def test_a_quote_translated_from_english_says_so(bilingual, client):
    """On an English page, the note reads “Translated from French”."""
    article = make_article()
    make_quote(
        article, text="We are united.", original_text="Nous sommes unis.", original_language="fr"
    )
    assert "Translated from French" in client.get(article.get_absolute_url()).text


def test_french_pages_show_french_dates(client, pair):
    """Dates on /fr/ are written in French: “18 mars 2025”."""
    _original, french = pair
    assert "18 mars 2025" in client.get(french.get_absolute_url()).text
    assert "18 mars 2025" in client.get("/fr/").text
    assert "18 March 2025" in client.get("/").text


def test_counts_are_written_per_language(bilingual):
    """A count is grouped as each language writes it: “12,345”, “12 345”."""
    with translation.override("en-gb"):
        assert number(12345) == "12,345"
    with translation.override("fr"):
        assert number(12345) == "12\N{NO-BREAK SPACE}345"


def test_feeds_in_each_language(client, pair, settings):
    """/fr/feeds/latest/ lists the French articles, and says it is in French."""
    latest = client.get("/fr/feeds/latest/").text
    assert 'xml:lang="fr"' in latest
    assert "Pourparlers à Londres" in latest and "Talks in London" not in latest
    TagProfile.objects.create(
        tag=Tag.objects.get(name="Ukraine"), translations={"fr": {"name": "Ukraine (FR)"}}
    )
    tag = client.get("/fr/tags/ukraine/feed/").text
    assert 'xml:lang="fr"' in tag and "Pourparlers à Londres" in tag
    assert re.search(r"<title>[^<]*Ukraine \(FR\)</title>", tag)
    # Each feed links back to its page in the same language.
    assert re.search(r'<link href="https?://[^/"]+/fr/tags/ukraine/"', tag)
    assert re.search(r'<link href="https?://[^/"]+/fr/"', latest)
    assert 'xml:lang="en-gb"' in client.get("/feeds/latest/").text


def test_publishing_a_translation_renews_the_originals_page(bilingual, client, page_cache, commit):
    """The original's cached page names its translation as soon as the translation is out."""
    original, french = make_pair(status=Article.Status.DRAFT)
    url = original.get_absolute_url()
    for _ in range(3):
        client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    def publish():
        french.status = Article.Status.PUBLISHED
        french.save()

    commit(publish)
    html = client.get(url).text
    assert hreflang(html)["fr"] == SITE_URL + french.get_absolute_url()
    assert switcher(html)["fr"] == french.get_absolute_url()

    def unpublish():
        french.status = Article.Status.DRAFT
        french.save()

    commit(unpublish)
    assert "fr" not in hreflang(client.get(url).text)


def test_deleting_an_original_renews_its_translations_page(bilingual, client, page_cache, commit):
    """A translation whose original is deleted no longer links to it."""
    original, french = make_pair()
    url = french.get_absolute_url()
    for _ in range(3):
        client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    commit(original.delete)
    html = client.get(url).text
    assert "en-gb" not in hreflang(html)
    assert switcher(html)["en-gb"] == "/"


def test_an_article_page_costs_one_query_more_in_several_languages(client, settings):
    """The group's public translations are one query; nothing else is added."""
    original, _french = make_pair()
    url = original.get_absolute_url()

    def queries():
        client.get(url)  # parts rendered and stored
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    single = queries()
    with override_settings(LANGUAGES=TWO_LANGUAGES, LANGUAGE_CODE="en-gb"):
        assert queries() == single + 1


def test_a_list_in_another_language_costs_one_query_more(bilingual, client):
    """The translations of a page's tags and events are read together, in one query."""
    make_pair()
    event = make_event(starts_on=datetime.date.today() + datetime.timedelta(days=30))
    for language in ["en-gb", "fr"]:
        article = make_article(language=language, tags=["Ukraine", "Sanctions"])
        link_event(article, event)
    TagProfile.objects.create(tag=Tag.objects.get(name="Ukraine"), is_topic=True)

    def queries(url):
        client.get(url)  # cards rendered and stored
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries("/fr/") == queries("/") + 1
    assert queries("/fr/tags/ukraine/") == queries("/tags/ukraine/") + 1


def test_the_layout_rendered_once_is_in_each_pages_language_and_settings(client, pair, settings):
    """The header and footer every page repeats are rendered once per language (the memo
    tag): an English page after a French one is still all English, and the reverse."""

    def header_and_footer(url):
        page = client.get(url).content.decode()
        assert client.get(url).content.decode() == page  # the same, rendered twice
        return page.split("<main", 1)[0] + page.split("</main>", 1)[1]

    english = header_and_footer("/tags/ukraine/")
    french = header_and_footer("/fr/tags/ukraine/")
    assert 'lang="en-GB"' in english and ">Skip to content<" in english
    assert 'lang="fr"' in french and ">Aller au contenu<" in french and "Skip to" not in french
    assert 'action="/fr/search/"' in french and 'action="/search/"' in english
    assert header_and_footer("/tags/ukraine/") == english

    settings.SITE_NAME = "The Harbour Gazette"
    renamed = header_and_footer("/tags/ukraine/")
    assert renamed.count("The Harbour Gazette") >= 2  # the header's name, the footer's


def test_the_header_search_box_keeps_the_readers_words(client, pair):
    """Around the layout rendered once: the words searched for are the page's own."""
    page = client.get("/search/", {"q": "harbour <talks>"}).content.decode()
    assert 'id="site-search-q" type="search" name="q" value="harbour &lt;talks&gt;"' in page
    assert 'name="q" value=""' in client.get("/").content.decode()


def test_search_results_link_to_each_languages_address_in_its_words(client, pair):
    """The results' links, count, form and pages, each page in its own language, whichever
    language's page was rendered first (the form's words are rendered once per language)."""
    original, translation_ = pair
    french = client.get("/fr/search/", {"q": "pourparlers"}).content.decode()
    english = client.get("/search/", {"q": "talks"}).content.decode()
    assert f'<a href="{translation_.get_absolute_url()}">' in french
    assert translation_.get_absolute_url().startswith("/fr/articles/2025/03/18/")
    assert "1 résultat pour «\u00a0pourparlers\u00a0»" in french
    assert "<h1>Recherche</h1>" in french and "<h1>Search</h1>" not in french
    assert f'<a href="{original.get_absolute_url()}">' in english
    assert "1 result for “talks”" in english and "<h1>Search</h1>" in english
    assert "Recherche" not in english


def test_a_tag_page_in_each_language_with_its_description_count_and_calendar(client, pair):
    """The tag page's words, its count, its calendar's address and its translated
    description, each in the page's language, whichever page was rendered first."""
    TagProfile.objects.create(
        tag=Tag.objects.get(name="Ukraine"),
        description="The **war**.",
        translations={"fr": {"description": "La **guerre**."}},
    )
    french = client.get("/fr/tags/ukraine/").content.decode()
    english = client.get("/tags/ukraine/").content.decode()
    assert "<strong>guerre</strong>" in french and "<strong>war</strong>" in english
    assert 'href="/fr/tags/ukraine/events.ics"' in french
    assert 'href="/tags/ukraine/events.ics"' in english
    assert 'href="/fr/tags/ukraine/feed/"' in french
    assert 'href="/tags/ukraine/feed/"' in english
    assert '<ul class="tags" aria-label="Mots-clés">' in french
    assert '<ul class="tags" aria-label="Tags">' in english
    assert re.search(r'<p class="meta">1 article · <a href="[^"]+">Flux</a>', french)
    assert re.search(r'<p class="meta">1 article · <a href="[^"]+">Feed</a>', english)
    assert ">Agenda de ses événements<" in french and "Agenda" not in english
