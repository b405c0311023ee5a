import datetime
import json
import re

import pytest

from articles.models import Article
from tests.factories import make_article, make_person, make_quote

pytestmark = pytest.mark.django_db


def test_speaker_page_lists_quotes_newest_first_with_the_role_at_the_time(client):
    lammy = make_person(name="David Lammy", role="Deputy Prime Minister")
    older = make_article(
        title="Older", published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    newer = make_article(
        title="Newer", published_at=datetime.datetime(2025, 3, 18, tzinfo=datetime.UTC)
    )
    make_quote(older, lammy, role="Shadow Foreign Secretary", text="Old words.")
    make_quote(newer, lammy, role="Foreign Secretary", text="New words.")
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    make_quote(draft, lammy, text="Unpublished words.")

    html = client.get(lammy.get_absolute_url()).content.decode()
    assert html.index("New words.") < html.index("Old words.")
    assert f'As Foreign Secretary, in <a href="{newer.get_absolute_url()}">Newer</a>' in html
    assert f'As Shadow Foreign Secretary, in <a href="{older.get_absolute_url()}">Older</a>' in html
    assert "Unpublished words." not in html
    assert "Deputy Prime Minister" in html


def test_speaker_page_carries_schema_org_person(client):
    person = make_person(name="John Healey", role="Defence Secretary", organisation="UK Government")
    make_quote(make_article(), person)
    html = client.get(person.get_absolute_url()).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert data == {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "John Healey",
        "url": "http://127.0.0.1:8000/people/" + person.slug + "/",
        "jobTitle": "Defence Secretary",
        "affiliation": {"@type": "Organization", "name": "UK Government"},
    }


def test_unknown_speaker_is_not_found(client):
    assert client.get("/people/nobody/").status_code == 404


def test_a_speaker_quoted_only_in_drafts_is_not_found(client):
    """A source in an embargoed story must not be given away by their page."""
    source = make_person(name="Secret Source")
    make_quote(make_article(status=Article.Status.DRAFT), source)
    assert client.get(source.get_absolute_url()).status_code == 404


def test_quotes_of_one_article_keep_the_articles_order(client):
    speaker = make_person(name="Yvette Cooper")
    article = make_article(title="Statement")
    make_quote(article, speaker, text="Second words.", position=2)
    make_quote(article, make_person(), text="Someone else.", position=3)
    make_quote(article, speaker, text="First words.", position=1)
    html = client.get(speaker.get_absolute_url()).content.decode()
    assert html.index("First words.") < html.index("Second words.")
    assert "Someone else." not in html


def test_quotes_run_on_to_a_second_page_oldest_last(client):
    speaker = make_person(name="Rachel Reeves")
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    for day in range(21):
        article = make_article(
            title=f"Budget day {day}", published_at=start + datetime.timedelta(days=day)
        )
        make_quote(article, speaker, text=f"Words of day {day}.")
    first = client.get(speaker.get_absolute_url()).content.decode()
    assert first.index("Words of day 20.") < first.index("Words of day 1.")
    assert "Words of day 0." not in first
    assert "Page 1 of 2" in first
    second = client.get(speaker.get_absolute_url() + "?page=2").content.decode()
    assert "Words of day 0." in second
    assert "Words of day 1." not in second
    assert client.get(speaker.get_absolute_url() + "?page=3").status_code == 404


def test_appears_in_lists_only_public_articles_newest_first(client):
    speaker = make_person(name="Ed Miliband")
    older = make_article(
        title="Older story", published_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )
    newer = make_article(
        title="Newer story", published_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    )
    scheduled = make_article(
        title="Scheduled story",
        published_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2),
    )
    for article in [older, newer, scheduled]:
        make_quote(article, speaker, text=f"Said in {article.title}.")
    html = client.get(speaker.get_absolute_url()).content.decode()
    appears_in = html[html.index("Appears in") :]
    assert appears_in.index("Newer story") < appears_in.index("Older story")
    assert "Scheduled story" not in html
    assert "Said in Scheduled story." not in html


def test_appears_in_lists_each_article_once_the_newest_twenty(client):
    speaker = make_person(name="Ed Miliband")
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    # Written out of order of publication, each quoting the speaker twice.
    for n in sorted(range(25), key=lambda n: (n * 7) % 25):
        article = make_article(
            title=f"Story of day {n}", published_at=start + datetime.timedelta(days=n)
        )
        make_quote(article, speaker, text=f"First words of day {n}.", position=1)
        make_quote(article, speaker, text=f"Second words of day {n}.", position=2)
    html = client.get(speaker.get_absolute_url()).content.decode()
    appears_in = html[html.index("Appears in") :]
    listed = re.findall(r">Story of day (\d+)<", appears_in)
    assert listed == [str(n) for n in range(24, 4, -1)]


def test_a_speaker_quoted_only_in_a_scheduled_article_is_not_found(client):
    source = make_person(name="Embargoed Source")
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)
    make_quote(make_article(published_at=later), source)
    assert client.get(source.get_absolute_url()).status_code == 404
