"""Sitemaps for crawlers, the Google News sitemap, and robots.txt that points to them."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db.models.signals import post_init
from django.utils import timezone

from articles.models import Article
from tests.factories import link_event, make_article, make_event, make_person, make_quote

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
SECTIONS = ["pages", "articles", "tags", "events", "people"]


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def read_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(client, url):
    return [loc.text for loc in read_xml(client, url).findall("sm:url/sm:loc", NS)]


def unpublished_articles(**fields):
    """A draft, an article in review and a scheduled one, with the same extra fields."""
    return [
        make_article(title="Draft story", status=Article.Status.DRAFT, **fields),
        make_article(title="Story in review", status=Article.Status.IN_REVIEW, **fields),
        make_article(
            title="Scheduled story",
            published_at=timezone.now() + datetime.timedelta(hours=3),
            **fields,
        ),
    ]


# /sitemap.xml and the section sitemaps


def test_the_sitemap_index_lists_every_section_sitemap(client):
    make_article()
    root = read_xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    listed = [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]
    assert listed == [f"{ORIGIN}/sitemap-{section}.xml" for section in SECTIONS]


@pytest.mark.parametrize("section", SECTIONS)
def test_each_listed_section_sitemap_is_a_urlset(client, section):
    make_article()
    root = read_xml(client, f"/sitemap-{section}.xml")
    assert root.tag == f"{{{NS['sm']}}}urlset"


def test_an_unknown_section_answers_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_pages_sitemap_lists_the_main_pages(client):
    assert locations(client, "/sitemap-pages.xml") == [
        f"{ORIGIN}/",
        f"{ORIGIN}/articles/",
        f"{ORIGIN}/events/",
        f"{ORIGIN}/tags/",
    ]


def test_the_articles_sitemap_lists_published_articles_only(client):
    older = make_article(title="Older", published_at=ago(days=10))
    newer = make_article(title="Newer", published_at=ago(hours=1))
    hidden = unpublished_articles()
    listed = locations(client, "/sitemap-articles.xml")
    assert listed == [ORIGIN + newer.get_absolute_url(), ORIGIN + older.get_absolute_url()]
    for article in hidden:
        assert article.get_absolute_url() not in "".join(listed)


def test_an_articles_last_modified_date_is_its_last_edit_not_its_publication(client):
    article = make_article(published_at=ago(days=3))
    root = read_xml(client, "/sitemap-articles.xml")
    (lastmod,) = root.findall("sm:url/sm:lastmod", NS)
    assert lastmod.text == timezone.localdate(article.updated_at).isoformat()
    assert lastmod.text != article.publication_date.isoformat()


def test_the_tags_sitemap_lists_only_tags_on_published_articles(client):
    make_article(tags=["Shipping", "Ports"])
    unpublished_articles(tags=["Grain"])
    assert locations(client, "/sitemap-tags.xml") == [
        f"{ORIGIN}/tags/ports/",
        f"{ORIGIN}/tags/shipping/",
    ]


def test_the_events_sitemap_lists_only_events_with_published_articles(client):
    covered = make_event(name="UK–EU Summit")
    link_event(make_article(), covered)
    uncovered = make_event(name="Grain Forum")
    for article in unpublished_articles():
        link_event(article, uncovered)
    make_event(name="Quiet Meeting")
    assert locations(client, "/sitemap-events.xml") == [f"{ORIGIN}/events/uk-eu-summit/"]


def test_the_people_sitemap_lists_only_people_quoted_in_published_articles(client):
    quoted = make_person(name="David Lammy")
    make_quote(make_article(), quoted)
    hidden = make_person(name="John Healey")
    for article in unpublished_articles():
        make_quote(article, hidden)
    make_person(name="Never Quoted")
    assert locations(client, "/sitemap-people.xml") == [f"{ORIGIN}/people/david-lammy/"]


# /sitemap-news.xml


def test_the_news_sitemap_lists_only_articles_of_the_last_two_days(client):
    recent = make_article(title="An hour old", published_at=ago(hours=1), tags=["Shipping"])
    make_article(title="Three days old", published_at=ago(days=3))
    unpublished_articles()
    root = read_xml(client, "/sitemap-news.xml")
    (url,) = root.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == settings.SITE_URL + recent.get_absolute_url()
    news = url.find("news:news", NS)
    assert news.findtext("news:title", namespaces=NS) == "An hour old"
    assert news.findtext("news:publication/news:name", namespaces=NS) == settings.SITE_NAME
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:keywords", namespaces=NS) == "Shipping"
    published = datetime.datetime.fromisoformat(
        news.findtext("news:publication_date", namespaces=NS)
    )
    assert published.tzinfo is not None
    assert published == recent.published_at


def test_the_news_sitemap_includes_an_article_just_inside_the_window(client):
    make_article(title="Nearly two days old", published_at=ago(hours=47))
    make_article(title="Just over two days old", published_at=ago(hours=49))
    root = read_xml(client, "/sitemap-news.xml")
    titles = [title.text for title in root.findall("sm:url/news:news/news:title", NS)]
    assert titles == ["Nearly two days old"]


def test_the_news_sitemap_is_well_formed_with_markup_and_ampersands_in_titles(client):
    make_article(title="Tom & Jerry's <b>“war”</b>", tags=["R&D"])
    root = read_xml(client, "/sitemap-news.xml")
    assert root.findtext("sm:url/news:news/news:title", namespaces=NS) == (
        "Tom & Jerry's <b>“war”</b>"
    )
    assert root.findtext("sm:url/news:news/news:keywords", namespaces=NS) == "R&D"


def test_an_empty_news_sitemap_is_still_a_well_formed_urlset(client):
    make_article(published_at=ago(days=5))
    root = read_xml(client, "/sitemap-news.xml")
    assert root.tag == f"{{{NS['sm']}}}urlset"
    assert root.findall("sm:url", NS) == []


def test_a_control_character_in_a_headline_does_not_break_the_news_sitemap(client):
    make_article(title="Line\vbreak from a word processor")
    root = read_xml(client, "/sitemap-news.xml")
    assert len(root.findall("sm:url", NS)) == 1


# /robots.txt


def test_robots_txt_is_plain_text_and_names_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap-news.xml" in lines
    assert "Disallow: /search/" in lines


def test_the_index_dates_the_articles_section_by_its_latest_public_edit(client):
    edited = make_article(title="Edited", published_at=ago(days=3))
    Article.objects.filter(pk=edited.pk).update(updated_at=ago(hours=5))
    newer = make_article(title="Newer", published_at=ago(days=1))
    Article.objects.filter(pk=newer.pk).update(updated_at=ago(days=1))
    for draft in unpublished_articles():  # edited later, but nobody can read them
        Article.objects.filter(pk=draft.pk).update(updated_at=ago(minutes=1))
    root = read_xml(client, "/sitemap.xml")
    dates = {
        entry.find("sm:loc", NS).text: entry.find("sm:lastmod", NS)
        for entry in root.findall("sm:sitemap", NS)
    }
    lastmod = datetime.datetime.fromisoformat(dates[f"{ORIGIN}/sitemap-articles.xml"].text)
    newest = Article.objects.get(pk=edited.pk).updated_at
    assert abs(lastmod - newest) < datetime.timedelta(seconds=1)


def test_the_index_builds_no_article_however_many_there_are(client):
    """Its cost does not grow with the archive: it asks the database for one date."""
    for n in range(30):
        make_article(title=f"Story {n}", published_at=ago(hours=n + 1))
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count, sender=Article)
    try:
        assert client.get("/sitemap.xml").status_code == 200
    finally:
        post_init.disconnect(count, sender=Article)
    assert built == []
