import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import link_event, make_article, make_event, make_quote

pytestmark = pytest.mark.django_db


def test_the_seed_article_page_shows_what_a_reader_needs(client, demo_article):
    response = client.get(demo_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>UK and EU join forces on Ukraine" in html
    assert demo_article.standfirst in html
    assert "<h2>A United Front Against Russia</h2>" in html
    assert "Operation INTERFLEX and the EU’s Military Advisory Mission" in html
    assert "A strong and secure Britain is a foundation of our Plan for Change." in html
    assert '<a href="/people/david-lammy/">David Lammy</a>, Foreign Secretary' in html
    assert '<a href="/people/john-healey/">John Healey</a>, Defence Secretary' in html
    assert '<a href="/tags/western-balkans/">Western Balkans</a>' in html
    assert 'Previews <a href="/events/uk-eu-summit-2025/">UK–EU Summit</a>' in html
    assert '<time datetime="2025-05-19">19 May 2025</time>' in html


def test_the_article_page_runs_a_fixed_number_of_queries(client):
    """
    Guards the N+1 on quotes' speakers, tags and event links, on the first read (which
    renders the page's stored parts) and on the next (which reads them: the article and
    “More on this” only).
    """
    small = make_article(tags=["one"])
    make_quote(small)
    link_event(small)
    big = make_article(tags=[f"tag {n}" for n in range(8)])
    for _ in range(5):
        make_quote(big)
        link_event(big, make_event())

    counts = {}
    for article in (small, big):
        for read in ("rendering", "stored"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(article.get_absolute_url()).status_code == 200
            counts[article.pk, read] = len(queries.captured_queries)
    assert counts[small.pk, "rendering"] == counts[big.pk, "rendering"]
    assert counts[small.pk, "stored"] == counts[big.pk, "stored"] <= 4


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW])
def test_unpublished_articles_are_not_found(client, status):
    article = make_article(status=status, published_at=timezone.now())
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/articles/2025/02/31/anything/",
        "/articles/2025/13/01/anything/",
        "/articles/99999/01/01/anything/",
        "/articles/2025/03/18/no-such-article/",
    ],
)
def test_impossible_dates_and_unknown_slugs_answer_404_with_a_readable_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_the_article_is_only_found_under_its_own_date(client, demo_article):
    assert client.get("/articles/2025/03/19/" + demo_article.slug + "/").status_code == 404


def test_front_page_lists_published_articles_newest_first(client):
    older = make_article(published_at=timezone.now() - timezone.timedelta(days=2))
    newer = make_article()
    make_article(status=Article.Status.DRAFT, title="Secret draft")
    html = client.get("/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert "Secret draft" not in html


def test_tag_event_and_person_links_from_the_article_lead_somewhere(client, demo_article):
    for url in ["/tags/ukraine/", "/events/uk-eu-summit-2025/", "/people/john-healey/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert demo_article.title in response.content.decode(), url


def article_jsonld(html):
    import json
    import re

    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_the_article_page_carries_news_article_json_ld(client, demo_article):
    data = article_jsonld(client.get(demo_article.get_absolute_url()).content.decode())
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == demo_article.title
    assert data["datePublished"] == "2025-03-18T09:00:00+00:00"
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == [{"@type": "Organization", "name": "Newsroom"}]
    assert data["publisher"]["name"] == "Newsroom"
    assert "Western Balkans" in data["keywords"]
    assert {"UK–EU Summit", "Berlin Process Summit"} <= {event["name"] for event in data["about"]}
    assert data["url"] == "http://127.0.0.1:8000" + demo_article.get_absolute_url()


def test_json_ld_cannot_close_its_script_element(client):
    """A headline with </script> must stay data, not end the block and start markup."""
    article = make_article(title="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert article_jsonld(html)["headline"] == article.title


def test_the_article_page_has_canonical_and_social_tags(client, demo_article):
    html = client.get(demo_article.get_absolute_url()).content.decode()
    url = "http://127.0.0.1:8000" + demo_article.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    # The social card: cut to 1200 × 630 around the picture's focal point.
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og_image.startswith("http://127.0.0.1:8000/media/pictures/")
    assert "/social-" in og_image and og_image.endswith(".jpg")
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert article_jsonld(html)["image"] == [og_image]
    assert '<meta property="article:tag" content="Ukraine">' in html


def test_byline_dateline_times_and_corrections_are_shown(client):
    from tests.factories import make_correction, make_user

    article = make_article(dateline="Brussels")
    article.authors.add(make_user(first_name="Ann", last_name="Reporter"))
    make_correction(article, text="An earlier version gave the wrong date of the summit.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "By Ann Reporter" in html
    assert '<span class="dateline">Brussels</span>' in html
    assert f'<time datetime="{timezone.localtime(article.published_at).isoformat()}">' in html
    assert "An earlier version gave the wrong date of the summit." in html


def test_lead_image_is_shown_with_alt_text_caption_and_credit(client, media_root):
    from django.core.files.base import ContentFile

    from articles.media.library import add_picture
    from tests.images import picture_bytes

    picture = add_picture(
        ContentFile(picture_bytes("JPEG", (1200, 800)), name="kallas.jpg"),
        alt="Kaja Kallas arriving at the Foreign Office",
        caption="Kallas in London.",
        credit="Newsroom",
    )
    article = make_article(lead_image=picture)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'alt="Kaja Kallas arriving at the Foreign Office"' in html
    assert "Kallas in London." in html
    assert '<span class="credit">Newsroom</span>' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_more_on_this_prefers_articles_sharing_the_most_tags_and_events(client):
    event = make_event()
    article = make_article(tags=["Ukraine", "sanctions", "defence"])
    link_event(article, event)
    best = make_article(title="Shares tags and event", tags=["Ukraine", "sanctions"])
    link_event(best, event)
    make_article(title="Shares one tag", tags=["defence"])
    make_article(title="Shares nothing", tags=["Brexit"])
    make_article(title="Unpublished neighbour", tags=["Ukraine"], status=Article.Status.DRAFT)
    html = client.get(article.get_absolute_url()).content.decode()
    more = html.split('id="more-heading"')[1]
    assert more.index("Shares tags and event") < more.index("Shares one tag")
    assert "Shares nothing" not in more
    assert "Unpublished neighbour" not in more


def test_an_error_page_keeps_the_site_s_layout(client, settings, monkeypatch):
    """A crash shows a readable page in the site's layout, never a traceback."""
    from articles import views

    def crash(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(views.HomeView, "get", crash)
    client.raise_request_exception = False
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and 'class="site-header"' in html
    assert "database on fire" not in html and "Traceback" not in html
