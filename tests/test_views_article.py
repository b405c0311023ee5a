import pytest
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


def test_the_article_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Guards the N+1 on quotes' speakers, tags and event links."""
    small = make_article(tags=["one"])
    make_quote(small)
    link_event(small)
    big = make_article(tags=[f"tag {n}" for n in range(8)])
    for _ in range(5):
        make_quote(big)
        link_event(big, make_event())

    with django_assert_num_queries(7) as small_queries:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(small_queries.captured_queries)):
        assert client.get(big.get_absolute_url()).status_code == 200


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
