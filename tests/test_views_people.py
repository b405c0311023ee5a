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
