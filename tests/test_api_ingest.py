"""POST /api/ingest/: stories in as drafts, with per-user tokens, limits and JSON errors."""

import json
import time
import types
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import ApiToken, Article, Event, hash_api_token
from articles.roles import EDITORS, WRITERS
from tests.factories import make_event, make_staff, make_user

pytestmark = pytest.mark.django_db

SEED = (Path(__file__).parent / "data" / "uk-eu-talks-18-march.txt").read_bytes()


@pytest.fixture
def writer():
    return make_staff("wendy", WRITERS)


@pytest.fixture
def editor():
    return make_staff("edna", EDITORS)


@pytest.fixture
def writer_token(writer):
    return ApiToken.issue(writer, "Agency feed")[1]


def post(client, body, token=None, content_type="text/plain", **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post("/api/ingest/", body, content_type=content_type, **headers)


def ninjs(**fields):
    return {
        "uri": "urn:agency:story:1",
        "type": "text",
        "headlines": [{"role": "main", "value": "Ministers meet in Brussels"}],
        "descriptions": [{"role": "summary", "value": "Talks on sanctions went on late."}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": "<p>BRUSSELS — Ministers met on Monday.</p><h2>Sanctions</h2>"
                "<p>“We will not step back,” said Kaja Kallas, the EU’s foreign policy chief.</p>",
            }
        ],
        "located": "Brussels",
        "subjects": [{"name": "Sanctions"}, {"name": "EU"}],
        **fields,
    }


def test_plain_text_becomes_a_draft_owned_by_the_writer(client, writer, writer_token):
    response = post(client, SEED, writer_token)

    assert response.status_code == 201
    data = response.json()
    article = Article.objects.get(pk=data["id"])
    assert article.status == Article.Status.DRAFT and data["status"] == "draft"
    assert article.created_by == writer and list(article.authors.all()) == [writer]
    assert article.title == "The stakes have never been higher"
    assert [q.speaker.name for q in article.quotes.all()] == ["David Lammy", "John Healey"]
    assert data["quotes"] == 2 and "Ukraine" in data["tags"]
    admin_path = reverse("admin:articles_article_change", args=[article.pk])
    assert data["admin_url"].endswith(admin_path) and response["Location"] == data["admin_url"]
    # The writer can open their draft in the admin; the public cannot see it.
    client.force_login(writer)
    assert client.get(admin_path).status_code == 200
    client.logout()
    assert client.get(f"/api/articles/{article.pk}/").status_code == 404


def test_a_ninjs_document_becomes_a_draft_with_its_metadata(client, writer_token):
    summit = make_event(name="EU Foreign Affairs Council")
    document = ninjs(events=[{"name": "EU Foreign Affairs Council", "rel": "reports_on"}])

    response = post(client, json.dumps(document), writer_token, "application/json")

    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    assert article.status == Article.Status.DRAFT
    assert article.title == "Ministers meet in Brussels"
    assert article.standfirst == "Talks on sanctions went on late."
    assert article.dateline == "Brussels"
    assert "## Sanctions" in article.body
    assert {"Sanctions", "EU"} <= {tag.name for tag in article.tags.all()}
    [quote] = article.quotes.all()
    assert (quote.speaker.name, quote.text) == ("Kaja Kallas", "We will not step back")
    [link] = article.event_links.all()
    assert (link.event, link.kind) == (summit, "reports_on")


def test_an_editors_token_still_creates_only_a_draft(client, editor):
    token = ApiToken.issue(editor, "Wire")[1]
    response = post(client, SEED, token)
    assert response.status_code == 201
    assert Article.objects.get().status == Article.Status.DRAFT
    assert client.get("/api/articles/").json()["count"] == 0


@pytest.mark.parametrize(
    "authorization, says",
    [
        (None, "Authorization: Bearer"),
        ("Bearer nr_not-a-real-token", "not valid"),
        ("Bearer ", "not valid"),
        ("Token abc", "Unauthorized"),
        ("Bearer " + "x" * 5000, "not valid"),
    ],
)
def test_a_missing_or_wrong_token_is_refused(client, writer_token, authorization, says):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = post(client, SEED, **headers)
    assert response.status_code == 401
    assert says in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Article.objects.exists()


def test_a_revoked_token_or_a_deactivated_user_is_refused(client, writer, writer_token):
    ApiToken.objects.update(revoked_at=timezone.now())
    assert post(client, SEED, writer_token).status_code == 401
    ApiToken.objects.update(revoked_at=None)
    writer.is_active = False
    writer.save()
    assert post(client, SEED, writer_token).status_code == 401
    assert not Article.objects.exists()


def test_a_user_who_may_not_write_is_forbidden(client):
    reader = make_user(is_staff=True)
    token = ApiToken.issue(reader, "Nothing")[1]
    response = post(client, SEED, token)
    assert response.status_code == 403 and "may not create articles" in response.json()["detail"]


def test_tokens_are_stored_hashed_and_record_their_last_use(client, writer_token):
    token = ApiToken.objects.get()
    assert writer_token not in {token.key_hash, token.key_prefix}
    assert token.key_hash == hash_api_token(writer_token) and token.last_used_at is None
    post(client, SEED, writer_token)
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "body, content_type, status, says",
    [
        (b"", "text/plain", 400, "empty"),
        (b"\xff\xfe binary", "text/plain", 400, "UTF-8"),
        (b"headline", "application/xml", 415, "text/plain"),
        (b"{not json", "application/json", 400, "not JSON"),
        (b"[]", "application/json", 400, "JSON object"),
        (b'{"type": "text"}', "application/json", 400, "'uri' is a required property"),
        (json.dumps(ninjs(type="novel")).encode(), "application/json", 400, "type"),
        (json.dumps(ninjs(headlines=[])).encode(), "application/json", 400, "headline"),
        (json.dumps(ninjs(firstcreated="yesterday")).encode(), "application/json", 400,
         "firstcreated"),
    ],
)  # fmt: skip
def test_bad_input_answers_400_saying_what_is_wrong(
    client, writer_token, body, content_type, status, says
):
    response = post(client, body, writer_token, content_type)
    assert response.status_code == status
    assert says in response.json()["detail"]
    assert not Article.objects.exists()


def test_hostile_text_is_stored_safely(client, writer_token):
    """NUL bytes, lone surrogates and very long values are cleaned or refused, never a 500."""
    document = ninjs(
        headlines=[{"value": "Nul\u0000 byte \ud800 headline " + "x" * 400}],
        subjects=[{"name": "y" * 500}],
        located="z" * 300,
    )
    response = post(client, json.dumps(document), writer_token, "application/json")
    assert response.status_code == 201, response.content
    article = Article.objects.get()
    assert "\x00" not in article.title and len(article.title) <= 250
    assert len(article.dateline) <= 100


def test_bodies_over_the_cap_answer_413(client, writer_token, settings):
    settings.API_INGEST_MAX_BYTES = 1000
    response = post(client, b"Headline\n\n" + b"word " * 400, writer_token)
    assert response.status_code == 413 and "at most" in response.json()["detail"]
    assert not Article.objects.exists()


def test_each_token_is_rate_limited(client, writer, settings, monkeypatch):
    settings.API_INGEST_PER_MINUTE = 2
    # All within one minute's window, wherever the clock stands when the test runs.
    moment = (time.time() // 60) * 60 + 10
    monkeypatch.setattr("articles.api.ingest.time", types.SimpleNamespace(time=lambda: moment))
    first, second = ApiToken.issue(writer, "one")[1], ApiToken.issue(writer, "two")[1]
    assert [post(client, SEED, first).status_code for _ in range(3)] == [201, 201, 429]
    refused = post(client, SEED, first)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Too many" in refused.json()["detail"]
    assert post(client, SEED, second).status_code == 201  # another token has its own limit
    assert Article.objects.count() == 3


def test_ingest_allows_no_cross_origin_use_and_is_never_cached(client, writer_token, settings):
    settings.PAGE_CACHE_SECONDS = 60
    preflight = client.options(
        "/api/ingest/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in preflight
    response = post(client, SEED, writer_token, HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 201
    assert "Access-Control-Allow-Origin" not in response
    assert post(client, SEED, writer_token).json()["id"] != response.json()["id"]


def test_only_editors_create_tokens_in_the_admin_and_see_the_secret_once(client, editor, writer):
    client.force_login(writer)
    assert client.get(reverse("admin:articles_apitoken_add")).status_code == 403
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_apitoken_add"), {"name": "Agency feed", "user": writer.pk}
    )
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert (token.user, token.created_by) == (writer, editor)
    [message] = [str(m) for m in get_messages(response.wsgi_request) if "<code>" in str(m)]
    secret = message.split("<code>")[1].split("</code>")[0]
    assert secret.startswith(token.key_prefix) and token.key_hash == hash_api_token(secret)
    assert secret in client.get(response["Location"]).content.decode()  # the message, once
    page = client.get(reverse("admin:articles_apitoken_change", args=[token.pk])).content.decode()
    assert secret not in page and token.key_hash not in page
    # The secret works for the writer, until an editor revokes it.
    client.logout()
    assert post(client, SEED, secret).status_code == 201
    assert Article.objects.get().created_by == writer
    client.force_login(editor)
    client.post(
        reverse("admin:articles_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    client.logout()
    assert post(client, SEED, secret).status_code == 401


def test_unknown_events_are_left_as_notes(client, writer_token):
    document = ninjs(events=[{"name": "Summit nobody has heard of", "rel": "previews"}])
    response = post(client, json.dumps(document), writer_token, "application/json")
    assert response.status_code == 201
    assert any("Summit nobody has heard of" in note for note in response.json()["notes"])
    assert not Event.objects.filter(name="Summit nobody has heard of").exists()
