"""/articles/: tags (all must match), event, person, date range, combined and removable."""

import datetime
import re

import pytest

from articles.models import Article
from tests.factories import link_event, make_article, make_event, make_person, make_quote

pytestmark = pytest.mark.django_db


def at(day):
    return datetime.datetime(2025, 3, day, 12, 0, tzinfo=datetime.UTC)


def titles(response):
    return re.findall(
        r'class="teaser-title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def articles():
    summit = make_event(name="UK–EU Summit", slug="uk-eu-summit")
    lammy = make_person(name="David Lammy", slug="david-lammy")
    both = make_article(title="Both tags", tags=["Ukraine", "sanctions"], published_at=at(18))
    only_ukraine = make_article(title="Only Ukraine", tags=["Ukraine"], published_at=at(10))
    only_sanctions = make_article(title="Only sanctions", tags=["sanctions"], published_at=at(5))
    link_event(both, summit)
    make_quote(only_ukraine, lammy)
    make_quote(only_ukraine, lammy)  # two quotes, still one result
    return {"both": both, "ukraine": only_ukraine, "sanctions": only_sanctions}


def test_without_filters_every_published_article_is_listed_newest_first(client, articles):
    response = client.get("/articles/")
    assert titles(response) == ["Both tags", "Only Ukraine", "Only sanctions"]
    assert "3 articles" in response.content.decode()


def test_several_tags_must_all_match(client, articles):
    assert titles(client.get("/articles/?tag=ukraine")) == ["Both tags", "Only Ukraine"]
    assert titles(client.get("/articles/?tag=ukraine&tag=sanctions")) == ["Both tags"]


def test_event_person_and_dates_filter(client, articles):
    assert titles(client.get("/articles/?event=uk-eu-summit")) == ["Both tags"]
    assert titles(client.get("/articles/?person=david-lammy")) == ["Only Ukraine"]
    assert titles(client.get("/articles/?from=2025-03-06&to=2025-03-17")) == ["Only Ukraine"]
    assert titles(client.get("/articles/?from=2025-03-18")) == ["Both tags"]
    assert titles(client.get("/articles/?to=2025-03-05")) == ["Only sanctions"]


def test_filters_combine(client, articles):
    response = client.get("/articles/?tag=ukraine&person=david-lammy&from=2025-03-01")
    assert titles(response) == ["Only Ukraine"]
    response = client.get("/articles/?tag=sanctions&person=david-lammy")
    assert titles(response) == []
    assert "No articles match these filters." in response.content.decode()


def test_active_filters_are_shown_each_with_a_link_that_removes_it(client, articles):
    html = client.get("/articles/?tag=ukraine&tag=sanctions&event=uk-eu-summit").content.decode()
    assert "Tag: Ukraine" in html
    assert "Event: UK–EU Summit" in html
    assert 'href="?tag=sanctions&amp;event=uk-eu-summit" aria-label="Remove tag Ukraine"' in html
    assert 'href="?tag=ukraine&amp;tag=sanctions" aria-label="Remove event UK–EU Summit"' in html


def test_removing_a_filter_widens_the_results(client, articles):
    narrow = client.get("/articles/?tag=ukraine&tag=sanctions")
    removal = re.search(
        r'href="\?([^"]*)" aria-label="Remove tag Sanctions"', narrow.content.decode(), re.I
    )
    wider = client.get("/articles/?" + removal.group(1).replace("&amp;", "&"))
    assert titles(wider) == ["Both tags", "Only Ukraine"]


def test_pages_keep_the_filters(client, settings):
    for n in range(22):
        make_article(
            title=f"Tagged {n:02d}",
            tags=["Ukraine"],
            published_at=at(1) + datetime.timedelta(hours=n),
        )
    make_article(title="Untagged")
    first = client.get("/articles/?tag=ukraine")
    assert len(titles(first)) == 20
    assert 'href="?tag=ukraine&amp;page=2"' in first.content.decode()
    second = client.get("/articles/?tag=ukraine&page=2")
    assert titles(second) == ["Tagged 01", "Tagged 00"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("tag=no-such-tag", 404),
        ("event=no-such-event", 404),
        ("person=nobody", 404),
        ("from=notadate", 400),
        ("to=2025-02-30", 400),
        ("from=2025-03-10&to=2025-03-01", 400),
        ("page=abc", 404),
        ("page=999999", 404),
    ],
)
def test_bad_filters_answer_with_a_readable_page(client, articles, query, status):
    response = client.get("/articles/?" + query)
    assert response.status_code == status
    assert "<h1>" in response.content.decode()


def test_a_bad_date_says_how_to_write_it(client):
    response = client.get("/articles/?from=18/03/2025")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_the_two_tag_url_is_the_same_as_the_filter(client, articles):
    assert titles(client.get("/tags/ukraine+sanctions/")) == ["Both tags"]
    assert titles(client.get("/tags/sanctions+ukraine/")) == ["Both tags"]


def test_filtered_results_offer_ways_to_narrow_further(client, articles):
    html = client.get("/articles/?tag=ukraine").content.decode()
    assert 'href="?tag=ukraine&amp;tag=sanctions">+ sanctions <span class="count">1</span>' in html
    assert 'href="?tag=ukraine&amp;event=uk-eu-summit">UK–EU Summit</a>' in html
    assert 'href="?tag=ukraine&amp;person=david-lammy">David Lammy</a>' in html
    narrowed = client.get("/articles/?tag=ukraine&tag=sanctions")
    assert titles(narrowed) == ["Both tags"]


def test_an_event_with_tags_and_a_speaker(client, articles):
    assert titles(client.get("/articles/?event=uk-eu-summit&tag=sanctions")) == ["Both tags"]
    assert titles(client.get("/articles/?event=uk-eu-summit&tag=ukraine&tag=sanctions")) == [
        "Both tags"
    ]
    assert titles(client.get("/articles/?event=uk-eu-summit&person=david-lammy")) == []


@pytest.mark.parametrize("path", ["/", "/articles/", "/tags/ukraine/", "/articles/?tag=ukraine"])
def test_drafts_and_stories_not_yet_due_are_neither_listed_nor_counted(client, articles, path):
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    make_article(title="Not yet due", tags=["Ukraine"], published_at=tomorrow)
    make_article(title="Still a draft", tags=["Ukraine"], status=Article.Status.DRAFT)
    response = client.get(path)
    assert "Not yet due" not in titles(response)
    assert "Still a draft" not in titles(response)
    assert "Only Ukraine" in titles(response)
    if path != "/":
        shown = len(titles(response))
        assert f"{shown} articles" in response.content.decode()
