import datetime

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleEvent, Event, Person, Quote, TaggedArticle

pytestmark = pytest.mark.django_db

MODELS = [Article, Person, Quote, Event, ArticleEvent, TaggedArticle]


def test_load_demo_creates_the_seed_article_as_published_on_18_march_2025(demo_article):
    assert demo_article.is_public
    assert demo_article.publication_date == datetime.date(2025, 3, 18)
    assert demo_article.get_absolute_url().startswith("/articles/2025/03/18/")
    assert "Kaja Kallas, arrives in London today" in demo_article.body


def test_the_two_quotes_are_records_attributed_with_the_role_at_the_time(demo_article):
    quotes = [(q.speaker.name, q.role, q.text[:30]) for q in demo_article.quotes.all()]
    assert quotes == [
        ("David Lammy", "Foreign Secretary", "A strong and secure Britain is"),
        ("John Healey", "Defence Secretary", "This Government is stepping up"),
    ]
    assert Person.objects.filter(name="Kaja Kallas").exists()


def test_the_demo_article_carries_its_tags(demo_article):
    names = {tag.name for tag in demo_article.tags.all()}
    assert names >= {
        "Ukraine", "Russia", "sanctions", "defence", "European Union", "United Kingdom",
        "NATO", "hybrid threats", "Western Balkans",
    }  # fmt: skip


def test_the_demo_events_are_linked_with_their_kind(demo_article):
    links = {link.event.name: link for link in demo_article.event_links.select_related("event")}
    assert links["UK–EU Summit"].kind == ArticleEvent.Kind.PREVIEWS
    assert links["UK–EU Summit"].event.starts_on == datetime.date(2025, 5, 19)
    assert links["Berlin Process Summit"].kind == ArticleEvent.Kind.PREVIEWS
    assert links["Berlin Process Summit"].event.starts_on.year == 2025
    assert links["Operation INTERFLEX"].kind == ArticleEvent.Kind.MENTIONS
    assert "Leaders’ Meeting on Ukraine" in links


def test_running_load_demo_twice_changes_nothing():
    call_command("load_demo")
    before = {model: list(model.objects.order_by("pk").values()) for model in MODELS}
    call_command("load_demo")
    after = {model: list(model.objects.order_by("pk").values()) for model in MODELS}
    assert after == before


def test_load_demo_leaves_an_editors_change_alone(demo_article):
    demo_article.title = "Edited headline"
    demo_article.save()
    call_command("load_demo")
    assert Article.objects.get(pk=demo_article.pk).title == "Edited headline"


def test_the_printed_demo_login_works(client):
    """make run prints a login; it must open the admin."""
    import io

    out = io.StringIO()
    call_command("demo_login", stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    from django.http import HttpRequest

    # Logins go through the lockout check, which needs the request.
    assert client.login(request=HttpRequest(), username=lines["Login"], password=lines["Password"])
    assert client.get(lines["Admin"].replace("http://127.0.0.1:8000", "")).status_code == 200


def test_demo_login_is_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo_login")


def test_the_demo_body_shows_two_library_pictures_a_pull_quote_and_a_gallery(demo_article):
    types = [item["type"] for item in demo_article.body_items if item["type"] != "text"]
    assert types == ["pull_quote", "picture", "picture", "gallery"]
    blocks = [item for item in demo_article.body_items if item["type"] != "text"]
    assert all(item["available"] for item in blocks)
    assert blocks[0]["speaker"]["name"] == "David Lammy"
    assert len(blocks[3]["items"]) == 3
    pictures = [blocks[1], blocks[2], *blocks[3]["items"]]
    assert all(picture["alt"] and picture["credit"] == "Newsroom graphic" for picture in pictures)
    from articles.media.models import PictureUse

    assert PictureUse.objects.filter(article=demo_article, kind="body").count() == 5
    assert demo_article.publication_problems() == {}
