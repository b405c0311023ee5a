"""The admin's live desk: posting in one step from the article's page, editing in place."""

import pytest
from django.urls import reverse

from articles.live import services
from articles.live.models import LiveUpdate
from articles.models import Quote
from tests.factories import make_article, make_person

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/liveupdate/add/"


@pytest.fixture
def live(writer):
    article = make_article(tags=["Summit"], slug="summit-live")
    article.authors.add(writer)
    services.make_live(article)
    return article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_article_page_has_the_post_form_and_posting_keeps_the_writer_there(
    client, live, writer
):
    client.force_login(writer)
    page = client.get(change_url(live)).content.decode()
    assert 'id="live-desk"' in page and f'action="{ADD}"' in page
    speaker = make_person(name="Envoy")
    response = client.post(
        ADD,
        {
            "live-article": live.pk,
            "next": change_url(live),
            "live-body": "Leaders arrive.",
            "live-is_key_event": "on",
            "live-speaker_1": speaker.pk,
            "live-quote_1": "We are here to agree.",
        },
    )
    assert response.status_code == 302 and response["Location"] == change_url(live)
    update = LiveUpdate.objects.get()
    assert update.is_key_event and update.author == writer
    assert Quote.objects.get(update=update).role == speaker.role
    assert "Leaders arrive." in client.get(change_url(live)).content.decode()


def test_a_refused_post_says_why_and_keeps_the_text(client, live, writer):
    client.force_login(writer)
    response = client.post(
        ADD,
        {"live-article": live.pk, "live-body": "Words to keep.", "live-quote_1": "Said by nobody."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who said it?" in page and "Words to keep." in page
    assert not LiveUpdate.objects.exists()


def test_a_writer_cannot_post_to_another_writers_live_article(client, live, other_writer):
    client.force_login(other_writer)
    response = client.post(ADD, {"live-article": live.pk, "live-body": "Not mine to post."})
    assert response.status_code == 200  # the form, with the article refused
    assert not LiveUpdate.objects.exists()
    assert "live-desk" not in client.get(change_url(live)).content.decode() or (
        'action="/admin/articles/liveupdate/add/"'
        not in client.get(change_url(live)).content.decode()
    )


def test_an_update_is_edited_in_place_and_a_stale_edit_keeps_the_text(client, live, writer, editor):
    update = services.post_update(live, writer, "First version.")
    url = reverse("admin:articles_liveupdate_change", args=[update.pk])
    client.force_login(editor)
    prefix = f"u{update.pk}"
    data = {
        "_prefix": prefix,
        "next": change_url(live),
        f"{prefix}-body": "Edited by the editor.",
        f"{prefix}-base_version": "1",
        f"{prefix}-published_at": "2025-05-19 09:00:00",
    }
    assert client.post(url, data)["Location"] == change_url(live)
    update.refresh_from_db()
    assert update.body == "Edited by the editor." and update.edit_version == 2
    client.force_login(writer)
    stale = client.post(url, {**data, f"{prefix}-body": "The writer's late words."})
    assert stale.status_code == 200
    assert "Someone saved this update since" in stale.content.decode()
    assert "The writer&#x27;s late words." in stale.content.decode()
    update.refresh_from_db()
    assert update.body == "Edited by the editor."


def test_the_updates_list_offers_the_post_form_for_the_live_articles_one_may_post_to(
    client, live, writer, other_writer
):
    client.force_login(writer)
    page = client.get("/admin/articles/liveupdate/").content.decode()
    assert "Post a live update" in page and f'<option value="{live.pk}"' in page
    client.force_login(other_writer)
    assert "Post a live update" not in client.get("/admin/articles/liveupdate/").content.decode()


def test_editors_close_coverage_with_a_summary_from_the_admin(client, live, editor):
    client.force_login(editor)
    url = reverse("admin:articles_livecoverage_change", args=[live.pk])
    response = client.post(
        url,
        {
            "state": "closed",
            "starts_at_0": live.live.starts_at.strftime("%Y-%m-%d"),
            "starts_at_1": live.live.starts_at.strftime("%H:%M:%S"),
            "summary": "It ended well.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    live.live.refresh_from_db()
    assert live.live.state == "closed" and live.live.ends_at is not None


def test_the_list_of_an_articles_updates_is_reachable_from_its_page(client, live, editor):
    services.post_update(live, editor, "One of many.")
    client.force_login(editor)
    response = client.get(f"/admin/articles/liveupdate/?article__id__exact={live.pk}")
    assert response.status_code == 200 and "One of many." in response.content.decode()


def test_reopening_coverage_forgets_the_end_it_had(client, live, editor):
    from django.utils import timezone

    coverage = services.close(live, editor)
    client.force_login(editor)
    url = reverse("admin:articles_livecoverage_change", args=[live.pk])
    starts, ends = timezone.localtime(coverage.starts_at), timezone.localtime(coverage.ends_at)
    response = client.post(
        url,
        {
            "state": "live",
            "starts_at_0": starts.strftime("%Y-%m-%d"),
            "starts_at_1": starts.strftime("%H:%M:%S"),
            "ends_at_0": ends.strftime("%Y-%m-%d"),
            "ends_at_1": ends.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    coverage.refresh_from_db()
    assert coverage.is_open and coverage.ends_at is None


@pytest.mark.parametrize("model", ["livecoverage", "liveupdate"])
@pytest.mark.parametrize("junk", ["a%00b", "abc", "99999999999999999999"])
def test_a_forged_id_is_an_unknown_object_in_every_view(client, editor, model, junk):
    """Not a database error: a NUL among the versions' text ids (PostgreSQL), or a number
    past the key where it is the article's (SQLite's integers)."""
    client.force_login(editor)
    for view in ["change", "history", "delete"]:
        response = client.get(f"/admin/articles/{model}/{junk}/{view}/")
        assert response.status_code in (302, 404), view
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index")
