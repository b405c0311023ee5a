"""The API over HTTP: CORS for reading, the whole-page cache, the documentation page."""

import re

import pytest

from articles.models import ApiToken
from articles.roles import WRITERS
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db

ORIGIN = "https://partner.example"
READ_URLS = ["/api/articles/", "/api/tags/", "/api/events/", "/api/people/", "/api/openapi.json"]


@pytest.mark.parametrize("url", READ_URLS)
def test_any_site_may_read_the_api_from_a_browser(client, url):
    make_article(tags=["Ukraine"])
    response = client.get(url, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(url, HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_cors_is_for_the_api_only(client):
    response = client.get("/articles/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response


def test_api_answers_are_cached_for_anonymous_readers_and_fresh_after_an_edit(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    article = make_article(title="First headline", tags=["Ukraine"])
    url = f"/api/articles/{article.pk}/"
    assert client.get(url, HTTP_ORIGIN=ORIGIN)["X-Cache"] == "miss"
    client.get(url, HTTP_ORIGIN=ORIGIN)  # stored for good once its keys have versions
    cached = client.get(url, HTTP_ORIGIN=ORIGIN)
    assert cached["Surrogate-Key"].split()[0] == f"article-{article.pk}"
    assert cached["X-Cache"] == "hit" and cached["Access-Control-Allow-Origin"] == "*"
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Corrected headline"
        article.save()
    assert client.get(url).json()["headline"] == "Corrected headline"


def test_requests_with_a_token_are_never_served_from_the_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    make_article()
    token = ApiToken.issue(make_staff("wendy", WRITERS), "app")[1]
    for _ in range(2):
        response = client.get("/api/articles/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200 and "X-Cache" not in response


def test_the_docs_page_loads_only_same_origin_assets_and_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    # Scripts come from files; the one inline <script> is JSON data, which never runs.
    for attributes in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert '"/api/openapi.json"' in html
