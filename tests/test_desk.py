"""The writing desk: autosaves of the article form, restoring them, and who else has it open."""

import datetime
import json
import re
import time
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import limits
from articles.desk import presence
from articles.models import Article, Autosave
from tests.factories import make_article, make_person, make_quote
from tests.test_admin import article_form_data
from tests.test_editorial import change_url, draft_by
from tests.test_revisions import save_through_admin

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
NEW_AUTOSAVE_URL = reverse("admin:articles_article_autosave_new")


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def send(client, url, **fields):
    data = {"title": "A headline", "standfirst": "", "body": "Typed words.", "quotes": "[]"}
    data.update(fields)
    return client.post(url, data)


@pytest.fixture
def wendys_draft(writer):
    article = draft_by(writer, title="Wendy's draft", body="The saved body.")
    make_quote(article, text="Saved words.")
    return article


@pytest.fixture
def as_writer(client, writer):
    client.force_login(writer)
    return client


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# Autosaving.


def test_an_autosave_keeps_the_text_without_touching_the_article(as_writer, writer, wendys_draft):
    """No new edit number and no revision: nobody's open form becomes stale."""
    version, revisions = wendys_draft.edit_version, Version.objects.count()
    quotes = [{"id": "", "speaker": "", "role": "Minister", "text": "New words.", "position": "2"}]
    response = send(
        as_writer,
        autosave_url(wendys_draft),
        body="Typed since the save.",
        quotes=json.dumps(quotes),
        base_version=str(version),
    )
    assert response.status_code == 200
    assert re.fullmatch(r"\d\d:\d\d:\d\d", response.json()["time"])
    autosave = Autosave.objects.get(user=writer, article=wendys_draft)
    assert autosave.body == "Typed since the save."
    assert autosave.quotes[0]["text"] == "New words." and autosave.quotes[0]["position"] == 2
    assert autosave.base_version == version
    wendys_draft.refresh_from_db()
    assert wendys_draft.edit_version == version and wendys_draft.body == "The saved body."
    assert Version.objects.count() == revisions


def test_autosaving_again_replaces_ones_own_autosave_never_another_persons(
    as_writer, writer, editor, wendys_draft
):
    send(as_writer, autosave_url(wendys_draft), body="First.")
    send(as_writer, autosave_url(wendys_draft), body="Second.")
    send(logged_in(editor), autosave_url(wendys_draft), body="The editor's.")
    bodies = dict(Autosave.objects.values_list("user__username", "body"))
    assert bodies == {"wendy": "Second.", "edna": "The editor's."}


@pytest.mark.parametrize("whose", ["other writer's draft", "published"])
def test_a_writer_autosaves_only_articles_they_may_edit(as_writer, other_writer, whose):
    article = (
        draft_by(other_writer) if whose == "other writer's draft" else make_article(title="Out")
    )
    response = send(as_writer, autosave_url(article))
    assert response.status_code == 403
    assert response.json() == {"error": "You may not edit this article."}
    assert not Autosave.objects.exists()


def test_the_endpoints_refuse_visitors_gets_unknown_articles_and_missing_csrf(
    client, writer, wendys_draft
):
    assert send(client, autosave_url(wendys_draft)).status_code == 302  # to the login page
    assert client.post(presence_url(wendys_draft)).status_code == 302
    client.force_login(writer)
    assert client.get(autosave_url(wendys_draft)).status_code == 405
    assert client.get(presence_url(wendys_draft)).status_code == 405
    gone = reverse("admin:articles_article_autosave", args=[wendys_draft.pk + 1000])
    assert send(client, gone).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer)
    assert send(strict, autosave_url(wendys_draft)).status_code == 403
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"body": "x" * (limits.MAX_BODY_CHARS + 1)}, "The body may be at most 100,000"),
        ({"standfirst": "x" * (limits.MAX_STANDFIRST_CHARS + 1)}, "The standfirst may be"),
        ({"title": "x" * 251}, "at most 250 characters"),
        ({"quotes": "not json"}, "not a JSON list"),
        ({"quotes": "[" * 100_000}, "not a JSON list"),
        ({"quotes": '{"text": "a"}'}, "not a JSON list"),
        ({"quotes": json.dumps([{"text": "a"}] * 101)}, "at most 100 quotes"),
        ({"quotes": json.dumps([{"text": "x" * 5001}])}, "The quote may be at most 5,000"),
        ({"quotes": json.dumps([{"text": "a\x00b"}])}, "NUL character"),
        ({"quotes": json.dumps([{"speaker": "abc"}])}, "speaker must be a whole number"),
        ({"quotes": json.dumps([{"id": -1}])}, "id must be a whole number"),
        ({"quotes": json.dumps([{"id": 2**70}])}, "id must be a whole number"),
        ({"body": "a\x00b"}, "Null characters are not allowed"),
        ({"base_version": "abc"}, "Enter a whole number"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_kept(
    as_writer, wendys_draft, fields, message
):
    response = send(as_writer, autosave_url(wendys_draft), **fields)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Autosave.objects.exists()


def test_a_new_articles_autosave_needs_its_draft_key(as_writer, writer):
    assert "draft" in send(as_writer, NEW_AUTOSAVE_URL).json()["error"]
    assert send(as_writer, NEW_AUTOSAVE_URL, draft="not-a-uuid").status_code == 400
    key = uuid.uuid4()
    assert send(as_writer, NEW_AUTOSAVE_URL, draft=str(key)).status_code == 200
    assert Autosave.objects.get(user=writer, draft_key=key).article is None


def test_discarding_forgets_only_ones_own_autosave(as_writer, writer, editor, wendys_draft):
    send(as_writer, autosave_url(wendys_draft))
    send(logged_in(editor), autosave_url(wendys_draft))
    response = as_writer.post(autosave_url(wendys_draft), {"discard": "1"})
    assert response.json() == {"discarded": True}
    assert list(Autosave.objects.values_list("user__username", flat=True)) == ["edna"]


def test_old_autosaves_are_not_offered_and_go_when_a_new_one_starts(
    settings, as_writer, writer, wendys_draft
):
    settings.AUTOSAVE_KEEP_DAYS = 3
    old = Autosave.objects.create(
        user=writer,
        draft_key=uuid.uuid4(),
        body="Long ago.",
        saved_at=timezone.now() - datetime.timedelta(days=4),
    )
    assert "Long ago." not in as_writer.get(ADD_URL).text
    send(as_writer, autosave_url(wendys_draft))
    assert not Autosave.objects.filter(pk=old.pk).exists()


# Reopening the form.


def test_reopening_the_form_offers_the_autosave_with_what_differs(
    as_writer, writer, editor, wendys_draft
):
    send(as_writer, autosave_url(wendys_draft), title="Wendy's draft", body="The typed body.")
    send(logged_in(editor), autosave_url(wendys_draft), body="The editor's secret words.")
    page = as_writer.get(change_url(wendys_draft)).text
    assert "You have unsaved changes from" in page
    assert "<del>saved</del><ins>typed</ins>" in page
    assert "?restore=1" in page
    assert "secret words" not in page  # the editor's autosave is theirs alone


def test_restoring_fills_the_form_at_the_edit_number_the_text_was_written_on(
    as_writer, writer, wendys_draft
):
    send(as_writer, autosave_url(wendys_draft), body="The typed body.", base_version="1")
    page = as_writer.get(change_url(wendys_draft) + "?restore=1").text
    assert "Restored your unsaved changes" in page
    assert re.search(r'<textarea name="body"[^>]*>\s*The typed body.</textarea>', page)
    assert re.search(r'name="base_version" value="1"', page)
    assert "You have unsaved changes" not in page


def test_restoring_brings_back_changed_deleted_and_new_quotes(as_writer, writer, wendys_draft):
    saved = wendys_draft.quotes.get()
    dropped = make_quote(wendys_draft, text="Words deleted in the form.")
    speaker = make_person(name="Kaja Kallas")
    quotes = [
        {"id": saved.pk, "speaker": saved.speaker_id, "role": "Envoy", "text": "Edited words.",
         "position": 1},
        {"id": "", "speaker": speaker.pk, "role": "", "text": "Brand new words.", "position": 3},
    ]  # fmt: skip
    send(as_writer, autosave_url(wendys_draft), quotes=json.dumps(quotes))
    page = as_writer.get(change_url(wendys_draft) + "?restore=1").text
    assert re.search(r'name="quotes-0-text"[^>]*>\s*Edited words.</textarea>', page)
    assert re.search(r'name="quotes-1-DELETE"[^>]*checked', page)  # the dropped quote
    assert dropped.text in page
    assert re.search(r'name="quotes-2-text"[^>]*>\s*Brand new words.</textarea>', page)
    assert re.search(rf'<option value="{speaker.pk}" selected>Kaja Kallas</option>', page)
    assert 'name="quotes-TOTAL_FORMS" value="3"' in page


def test_a_save_deletes_the_autosave_and_a_stale_refusal_keeps_it(
    client, writer, editor, wendys_draft
):
    as_writer = logged_in(writer)
    opened_at = wendys_draft.edit_version
    send(as_writer, autosave_url(wendys_draft), body="Wendy's typing.")
    # The editor saves meanwhile: Wendy's restored text, saved, is refused as stale.
    save_through_admin(client, editor, wendys_draft, standfirst="The editor's standfirst.")
    wendys_draft.refresh_from_db()
    restored = as_writer.get(change_url(wendys_draft) + "?restore=1").text
    assert "Someone saved the article since" in restored
    response = save_through_admin(
        as_writer, writer, wendys_draft, body="Wendy's typing.", base_version=str(opened_at)
    )
    assert response.status_code == 200 and "while you were editing" in response.text
    assert Autosave.objects.filter(user=writer).exists()
    # Saved again, now knowing: the autosave has served.
    response = save_through_admin(as_writer, writer, wendys_draft, body="Wendy's typing.")
    assert response.status_code == 302
    assert not Autosave.objects.filter(user=writer).exists()


def test_an_autosave_never_makes_another_editors_form_stale(client, writer, editor, wendys_draft):
    send(logged_in(writer), autosave_url(wendys_draft), body="Wendy's typing.")
    response = save_through_admin(client, editor, wendys_draft, title="The editor's headline")
    assert response.status_code == 302
    assert Article.objects.get(pk=wendys_draft.pk).title == "The editor's headline"


def test_a_new_article_is_restored_from_its_draft_and_saving_it_clears_the_draft(as_writer, writer):
    key = uuid.uuid4()
    send(as_writer, NEW_AUTOSAVE_URL, draft=str(key), title="Talks in London", body="Began.")
    page = as_writer.get(ADD_URL).text
    assert "You have unsaved changes from" in page and f"?restore={key}" in page
    assert f'data-draft="{key}"' in page
    restored = as_writer.get(f"{ADD_URL}?restore={key}").text
    assert re.search(r'name="title" value="Talks in London"', restored)
    assert re.search(r'name="slug" value="talks-in-london"', restored)
    assert f'name="_desk_draft" value="{key}"' in restored
    assert "Restored your unsaved changes" in as_writer.get(f"{ADD_URL}?restore={key}").text
    assert "Restored" not in as_writer.get(f"{ADD_URL}?restore={uuid.uuid4()}").text
    data = article_form_data(status="draft", published_at_0="", published_at_1="")
    assert as_writer.post(ADD_URL, {**data, "_desk_draft": str(key)}).status_code == 302
    assert not Autosave.objects.exists()


def test_a_writer_never_gets_another_persons_new_article_draft(as_writer, other_writer):
    key = uuid.uuid4()
    send(logged_in(other_writer), NEW_AUTOSAVE_URL, draft=str(key), body="Walter's scoop.")
    assert "Walter's scoop" not in as_writer.get(ADD_URL).text
    assert "Walter's scoop" not in as_writer.get(f"{ADD_URL}?restore={key}").text
    # Posting Walter's key makes Wendy's own draft; Walter's stays as it was.
    send(as_writer, NEW_AUTOSAVE_URL, draft=str(key), body="Wendy's.")
    assert Autosave.objects.get(user=other_writer).body == "Walter's scoop."


# Who else has the article open.


def test_a_second_editor_opening_the_form_sees_who_has_it_open(writer, editor, wendys_draft):
    logged_in(editor).get(change_url(wendys_draft))
    page = logged_in(writer).get(change_url(wendys_draft)).text
    assert re.search(r"Also open: Edna \(since \d\d:\d\d\)", page)
    others = logged_in(editor).post(presence_url(wendys_draft)).json()["others"]
    assert [other["name"] for other in others] == ["Wendy"]


def test_presence_ends_a_minute_after_the_last_heartbeat(
    settings, monkeypatch, writer, editor, wendys_draft
):
    settings.DESK_PRESENCE_SECONDS = 60
    now = presence.time.time()
    logged_in(editor).post(presence_url(wendys_draft))
    monkeypatch.setattr(presence.time, "time", lambda: now + 61)
    assert logged_in(writer).post(presence_url(wendys_draft)).json() == {"others": []}


def test_a_writer_cannot_watch_or_announce_on_an_article_they_may_not_edit(
    as_writer, other_writer, editor
):
    theirs = draft_by(other_writer)
    logged_in(editor).get(change_url(theirs))
    assert as_writer.post(presence_url(theirs)).status_code == 403
    assert logged_in(editor).post(presence_url(theirs)).json() == {"others": []}


def test_the_form_without_an_autosave_opens_as_before(as_writer, wendys_draft):
    page = as_writer.get(change_url(wendys_draft)).text
    assert "You have unsaved changes" not in page
    assert 'id="desk"' in page and "articles/desk.js" in page


def test_the_differences_of_a_long_feature_are_shown_in_a_moment(as_writer, writer):
    """Word by word over the whole body took eight seconds for one sentence in 50,000."""
    text = (Path(__file__).parent / "data" / "uk-eu-talks-18-march.txt").read_text()
    body = (text * 20)[:50_000]
    article = draft_by(writer, body=body)
    typed = body[:25_000] + "\n\nA sentence typed in the middle.\n\n" + body[25_000:]
    send(as_writer, autosave_url(article), title=article.title, body=typed)
    started = time.monotonic()
    page = as_writer.get(change_url(article)).text
    assert time.monotonic() - started < 3
    assert re.search(r"<ins>[^<]*A sentence typed in the middle.[^<]*</ins>", page)
