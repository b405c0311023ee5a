import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin import RecentTagFilter
from articles.models import Article, Event, Quote
from tests.factories import empty_article_inlines, make_article, make_person, make_quote

pytestmark = pytest.mark.django_db

MARCH_18 = datetime.datetime(2025, 3, 18, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def article_form_data(**overrides):
    """The POST an editor's browser sends for the article form with empty inlines."""
    data = {
        "title": "New headline",
        "slug": "new-headline",
        "standfirst": "What happened, in one sentence.",
        "body": "Body text.",
        "new_tags": "Ukraine, defence",
        "status": "published",
        "published_at_0": "18/03/2025",
        "published_at_1": "09:00:00",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
    }
    data.update(empty_article_inlines())
    data.update(overrides)
    return data


@pytest.mark.parametrize("model", ["article", "person", "event", "correction", "apitoken"])
def test_every_changelist_and_add_form_opens(editor_client, demo_article, model):
    for view in ["changelist", "add"]:
        response = editor_client.get(reverse(f"admin:articles_{model}_{view}"))
        assert response.status_code == 200


def test_the_demo_article_opens_with_its_quotes_and_events_inline(editor_client, demo_article):
    response = editor_client.get(reverse("admin:articles_article_change", args=[demo_article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A strong and secure Britain" in html
    assert "UK–EU Summit" in html


def test_an_editor_creates_an_article_with_a_quote_inline(editor_client):
    speaker = make_person(name="David Lammy")
    data = article_form_data(
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-speaker": str(speaker.pk),
            "quotes-0-role": "Foreign Secretary",
            "quotes-0-text": "We stand together.",
            "quotes-0-position": "1",
        }
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="new-headline")
    assert article.quotes.get().speaker == speaker
    assert {tag.name for tag in article.tags.all()} == {"Ukraine", "defence"}


def test_a_slug_clash_on_the_same_day_is_a_form_error_not_a_500(editor_client):
    make_article(slug="new-headline", published_at=MARCH_18)
    response = editor_client.post(reverse("admin:articles_article_add"), article_form_data())
    assert response.status_code == 200
    assert "published on the same day already uses this slug." in response.content.decode()
    assert Article.objects.count() == 1


def test_duplicate_quote_positions_are_a_form_error_and_nothing_is_saved(editor_client):
    speaker = make_person()
    data = article_form_data(**{"quotes-TOTAL_FORMS": "2"})
    for n in range(2):
        data.update(
            {
                f"quotes-{n}-speaker": str(speaker.pk),
                f"quotes-{n}-text": f"Quote {n}",
                f"quotes-{n}-position": "1",
            }
        )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for position." in response.content.decode()
    assert not Article.objects.exists()
    assert not Quote.objects.exists()


def test_an_event_ending_before_it_starts_is_a_form_error(editor_client):
    data = {
        "name": "Backwards summit",
        "slug": "backwards",
        "starts_on": "19/05/2025",
        "ends_on": "18/05/2025",
        "date_precision": "day",
        "status": "scheduled",
    }
    response = editor_client.post(reverse("admin:articles_event_add"), data)
    assert response.status_code == 200
    assert "An event cannot end before it starts." in response.content.decode()
    assert not Event.objects.exists()


def test_article_changelist_runs_a_fixed_number_of_queries(editor_client):
    """Guards the N+1 on tags and authors in the changelist."""
    url = reverse("admin:articles_article_changelist")
    make_article(tags=["a"])
    with CaptureQueriesContext(connection) as one_article:
        assert editor_client.get(url).status_code == 200
    for n in range(5):
        article = make_article(tags=[f"t{n}", f"u{n}"])
        make_quote(article)
    with CaptureQueriesContext(connection) as six_articles:
        assert editor_client.get(url).status_code == 200
    assert len(six_articles.captured_queries) == len(one_article.captured_queries)


def test_the_article_list_searches_words_anywhere_by_their_beginnings(editor_client):
    """Editors find a story by a word of its body or quotes, drafts included, or by the
    first letters of a word."""
    by_body = make_article(title="Port reopens", body="The harbour master confirmed it.")
    by_quote = make_article(title="Grain deal", status=Article.Status.DRAFT)
    make_quote(by_quote, text="The harbour must stay open.")
    by_fragment = make_article(title="Harbourside flats approved")
    make_article(title="Budget day", body="Nothing about ports.")
    url = reverse("admin:articles_article_changelist")

    def listed(q):
        return {
            article.title for article in editor_client.get(url, {"q": q}).context["cl"].result_list
        }

    assert listed("harbour") == {by_body.title, by_quote.title, by_fragment.title}
    assert listed("harbourside") == {by_fragment.title}
    assert listed("harb flat") == {by_fragment.title}


def test_the_article_list_offers_the_tags_in_use_and_keeps_the_chosen_one(editor_client):
    """Filtering by tag lists the tags of the newest articles, not every tag there is."""
    rare = make_article(title="Old story", tags=["Rarely used"])
    for n in range(30):
        make_article(title=f"Story {n}", tags=[f"Tag {n}", "Ukraine"])
    url = reverse("admin:articles_article_changelist")
    tag_filter = next(
        spec
        for spec in editor_client.get(url).context["cl"].filter_specs
        if isinstance(spec, RecentTagFilter)
    )
    names = [name for _, name in tag_filter.lookup_choices]
    assert len(names) == RecentTagFilter.limit and names[0] == "Ukraine"
    rare_tag = rare.tags.get()
    response = editor_client.get(url, {"tags__id__exact": rare_tag.pk})
    assert [a.title for a in response.context["cl"].result_list] == ["Old story"]
    assert "Rarely used" in response.content.decode()
    assert editor_client.get(url, {"tags__id__exact": "junk"}).status_code in (200, 302)
