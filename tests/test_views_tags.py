import datetime
import re

import pytest

from articles.models import Article
from tests.factories import link_event, make_article, make_event

pytestmark = pytest.mark.django_db


def test_tag_index_lists_tags_in_use_with_their_counts(client):
    make_article(tags=["Ukraine", "Russia"])
    make_article(tags=["Ukraine"])
    make_article(tags=["Secret"], status=Article.Status.DRAFT)
    html = client.get("/tags/").content.decode()
    assert re.search(r'href="/tags/ukraine/">Ukraine</a> <span class="count">2</span>', html)
    assert re.search(r'href="/tags/russia/">Russia</a> <span class="count">1</span>', html)
    assert "Secret" not in html


def test_tag_page_lists_its_articles_with_a_count(client):
    make_article(title="On Ukraine", tags=["Ukraine"])
    make_article(title="Elsewhere", tags=["Brexit"])
    html = client.get("/tags/ukraine/").content.decode()
    assert "<h1>Ukraine</h1>" in html
    assert "On Ukraine" in html
    assert "Elsewhere" not in html
    assert re.search(r"\b1 article\b(?!s)", html)


def test_tag_page_offers_related_tags_to_narrow_down_and_related_events(client):
    summit = make_event(name="UK–EU Summit", starts_on=datetime.date(2025, 5, 19))
    first = make_article(tags=["Ukraine", "sanctions", "defence"])
    make_article(tags=["Ukraine", "sanctions"])
    make_article(tags=["Brexit", "trade"])
    link_event(first, summit)
    html = client.get("/tags/ukraine/").content.decode()
    narrow = re.findall(
        r'href="/tags/ukraine\+([-\w]+)/">\+ ([^<]+) <span class="count">(\d+)', html
    )
    assert narrow == [("sanctions", "sanctions", "2"), ("defence", "defence", "1")]
    assert "Brexit" not in html
    assert f'href="{summit.get_absolute_url()}">UK–EU Summit</a>' in html


def test_related_events_of_the_same_count_and_day_are_in_the_order_of_their_names(client):
    """A reader sees them in the same order every time, on PostgreSQL too."""
    day = datetime.date(2027, 1, 5)
    article = make_article(tags=["Harbour"])
    for name in ["Meeting C", "Meeting A", "Meeting B"]:
        link_event(article, make_event(name=name, starts_on=day))
    html = client.get("/tags/harbour/").content.decode()
    assert re.findall(r">(Meeting \w)</a>", html) == ["Meeting A", "Meeting B", "Meeting C"]


def test_two_tag_page_names_both_and_lets_the_reader_drop_one(client):
    make_article(title="Both", tags=["Ukraine", "sanctions"])
    make_article(title="One", tags=["Ukraine"])
    html = client.get("/tags/ukraine+sanctions/").content.decode()
    assert "<h1>Ukraine + sanctions</h1>" in html
    assert "Both" in html
    assert ">One<" not in html
    assert 'href="/tags/sanctions/" aria-label="Remove tag Ukraine"' in html


def test_unknown_tag_is_not_found(client):
    make_article(tags=["Ukraine"])
    assert client.get("/tags/atlantis/").status_code == 404
    assert client.get("/tags/ukraine+atlantis/").status_code == 404


def test_two_tags_never_used_together_make_an_empty_page_not_a_missing_one(client):
    make_article(tags=["Ukraine"])
    make_article(tags=["Budget"])
    response = client.get("/tags/ukraine+budget/")
    assert response.status_code == 200
    assert "0 articles" in response.content.decode()
    assert "No articles yet." in response.content.decode()


def test_a_huge_tag_says_how_many_articles_without_counting_them_all(client, monkeypatch):
    from articles.cache import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "COUNT_LIMIT", 3)
    for _ in range(4):
        make_article(tags=["Ukraine"])
    html = client.get("/tags/ukraine/").content.decode()
    assert "3+ articles" in html
    assert len(re.findall(r'class="teaser-title"', html)) == 3


def test_the_front_page_shows_the_tags_most_covered_lately_busiest_first(client, monkeypatch):
    monkeypatch.setattr("articles.listings.SAMPLE", 4)
    now = datetime.datetime.now(datetime.UTC)
    # Old stories on Brexit, beyond the latest four: no longer “lately”.
    for days in range(5, 10):
        make_article(tags=["Brexit"], published_at=now - datetime.timedelta(days=days))
    for hours, tags in [(1, ["Ukraine", "Defence"]), (2, ["Ukraine"]), (3, ["Ukraine", "Defence"])]:
        make_article(tags=tags, published_at=now - datetime.timedelta(hours=hours))
    make_article(tags=["Budget"], published_at=now - datetime.timedelta(hours=4))
    make_article(tags=["Secret"], status=Article.Status.DRAFT)
    html = client.get("/").content.decode()
    section = html[html.index("Most covered lately") :]
    found = re.findall(r'href="/tags/([\w-]+)/">[^<]+ <span class="count">(\d+)</span>', section)
    assert found == [("ukraine", "3"), ("defence", "2"), ("budget", "1")]
