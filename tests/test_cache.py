"""Whole-page caching: fast for readers, never stale after an edit, whichever process."""

import datetime
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import invalidation
from articles.models import Article
from tests.factories import link_event, make_article, make_event, make_person, make_quote

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def cached(client, url):
    """Whether ``url`` is served from the cache once it has been read (a page is stored
    on its first reading, and on the second where its keys had no version yet)."""
    for _ in range(2):
        client.get(url)
    return client.get(url)["X-Cache"] == "hit"


@pytest.mark.django_db
def test_anonymous_readers_get_cached_pages_and_staff_live_ones(client, admin_user, page_cache):
    article = make_article(tags=["Ukraine"])
    assert client.get(article.get_absolute_url())["X-Cache"] == "miss"
    assert cached(client, article.get_absolute_url())
    client.force_login(admin_user)
    assert "X-Cache" not in client.get(article.get_absolute_url())


@pytest.mark.django_db
def test_with_page_cache_seconds_zero_nothing_is_read_or_written(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article(tags=["Ukraine"])
    with CacheCalls() as calls:
        for url in [article.get_absolute_url(), "/", "/tags/ukraine/"]:
            for _ in range(3):
                response = client.get(url)
                assert response["X-Cache"] == "miss", url
                assert response.has_header("Surrogate-Key"), url  # still named for a CDN
    assert calls == []


class CacheCalls(list):
    """The page cache's reads and writes while in use, by method name."""

    def __enter__(self):
        from django.core.cache import cache

        self.patched = []
        for name in ["get", "set", "get_many", "set_many", "add"]:
            original = getattr(cache, name)

            def recording(*args, _name=name, _original=original, **kwargs):
                self.append(_name)
                return _original(*args, **kwargs)

            self.patched.append((cache, name))
            setattr(cache, name, recording)
        return self

    def __exit__(self, *exc):
        for target, name in self.patched:
            delattr(target, name)


@pytest.mark.django_db
def test_an_edit_is_seen_at_once(client, page_cache, commit):
    article = make_article(title="First headline", tags=["Ukraine"])
    for url in [article.get_absolute_url(), "/", "/tags/ukraine/", "/feeds/latest/"]:
        assert cached(client, url), url

    def edit():
        article.title = "Corrected headline"
        article.save()

    commit(edit)
    for url in [article.get_absolute_url(), "/", "/tags/ukraine/", "/feeds/latest/"]:
        body = client.get(url).content.decode()
        assert "Corrected headline" in body and "First headline" not in body, url


@pytest.mark.django_db
def test_an_edit_renews_only_the_pages_that_show_what_changed(client, page_cache, commit):
    def archive():
        edited = make_article(title="Story on Ukraine", tags=["Ukraine"])
        speaker = make_person(name="Kaja Kallas")
        make_quote(edited, speaker=speaker)
        other = make_article(title="Story on budgets", tags=["Budget"])
        link_event(other)
        other_speaker = make_person(name="Rachel Reeves")
        make_quote(other, speaker=other_speaker)
        return edited, speaker, link_event(edited).event, other, other_speaker

    edited, speaker, summit, other, other_speaker = commit(archive)
    showing_edit = [
        edited.get_absolute_url(), "/", "/tags/ukraine/", summit.get_absolute_url(),
        speaker.get_absolute_url(), "/feeds/latest/", "/search/?q=story",
    ]  # fmt: skip
    elsewhere = [
        other.get_absolute_url(), "/tags/budget/", other.event_links.get().event.get_absolute_url(),
        other_speaker.get_absolute_url(), "/tags/budget/feed/",
    ]  # fmt: skip
    for url in showing_edit + elsewhere:
        assert cached(client, url), url

    def edit():
        edited.title = "Story on Ukraine, corrected"
        edited.save()

    commit(edit)
    for url in showing_edit:
        response = client.get(url)
        assert response["X-Cache"] == "miss", url
        assert "on Ukraine, corrected" in response.content.decode(), url
    for url in elsewhere:
        assert client.get(url)["X-Cache"] == "hit", url


@pytest.mark.django_db
def test_writers_editing_drafts_leave_readers_pages_cached(client, page_cache, commit):
    make_article(title="Live story", tags=["Ukraine"])
    draft = commit(
        lambda: make_article(title="Draft", tags=["Ukraine"], status=Article.Status.DRAFT)
    )
    for url in ["/", "/tags/ukraine/"]:
        assert cached(client, url)

    def edit():
        draft.title = "Draft, rewritten"
        draft.save()
        draft.tags.add("Russia")

    commit(edit)
    for url in ["/", "/tags/ukraine/"]:
        assert client.get(url)["X-Cache"] == "hit", url


@pytest.mark.django_db
def test_publishing_and_unpublishing_show_at_once(client, page_cache, commit):
    make_article(title="Older story", tags=["Ukraine"])
    draft = make_article(title="Breaking story", tags=["Ukraine"], status=Article.Status.DRAFT)
    for url in ["/", "/tags/ukraine/"]:
        assert cached(client, url)

    def publish():
        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()

    commit(publish)
    for url in ["/", "/tags/ukraine/"]:
        assert "Breaking story" in client.get(url).content.decode(), url
        assert cached(client, url)

    def unpublish():
        draft.status = Article.Status.DRAFT
        draft.save()

    commit(unpublish)
    for url in ["/", "/tags/ukraine/"]:
        assert "Breaking story" not in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_renaming_an_event_renews_the_pages_that_name_it(client, page_cache, commit):
    article = make_article(tags=["Ukraine"])
    upcoming = timezone.localdate() + datetime.timedelta(days=10)
    summit = link_event(article, make_event(name="Berlin Process Summit", starts_on=upcoming)).event
    for url in [article.get_absolute_url(), "/tags/ukraine/", "/"]:
        assert cached(client, url)

    def rename():
        summit.name = "Berlin Summit of the Western Balkans"
        summit.save()

    commit(rename)
    for url in [article.get_absolute_url(), "/"]:
        assert "Berlin Summit of the Western Balkans" in client.get(url).content.decode(), url
    assert client.get("/tags/ukraine/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_pages_name_what_they_show_for_a_cdn(client, page_cache):
    article = make_article(tags=["Ukraine", "Sanctions"])
    summit = link_event(article).event
    speaker = make_person()
    make_quote(article, speaker=speaker)
    response = client.get(article.get_absolute_url())
    keys = set(response["Surrogate-Key"].split())
    tags = {f"tag-{tag.pk}" for tag in article.tags.all()}
    assert keys == {
        f"article-{article.pk}", f"event-{summit.pk}", f"person-{speaker.pk}", "vocabulary",
        *tags,
    }  # fmt: skip
    assert set(client.get("/")["Surrogate-Key"].split()) == {"articles", "vocabulary"}
    cache_control = response["Cache-Control"]
    for directive in ["public", "max-age=0", "s-maxage=30", "stale-while-revalidate=30"]:
        assert directive in cache_control


purged = []


def remember_purge(keys):
    purged.append(set(keys))


@pytest.mark.django_db
def test_publishing_tells_the_cdn_which_pages_to_drop(settings, commit):
    settings.CDN_PURGE_HANDLER = "tests.test_cache.remember_purge"
    purged.clear()
    article = make_article(tags=["Ukraine"], status=Article.Status.DRAFT)
    summit = link_event(article).event

    def publish():
        article.status = Article.Status.PUBLISHED
        article.published_at = timezone.now()
        article.save()

    commit(publish)
    tag = article.tags.get()
    assert purged[-1] == {
        f"article-{article.pk}",
        "articles",
        f"tag-{tag.pk}",
        f"event-{summit.pk}",
    }


@pytest.mark.django_db
def test_a_failing_cdn_does_not_undo_the_edit(settings, commit, client):
    settings.CDN_PURGE_HANDLER = "articles.cdn.purge_by_http"
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{free_port()}/purge"  # nobody listens
    article = make_article(title="Before")

    def edit():
        article.title = "After"
        article.save()

    commit(edit)
    assert "After" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_purging_by_http_sends_the_keys(settings, commit):
    received = []

    class PurgeEndpoint(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.path, self.headers["Surrogate-Key"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), PurgeEndpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.CDN_PURGE_HANDLER = "articles.cdn.purge_by_http"
        settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
        article = make_article()

        def edit():
            article.title = "Purged"
            article.save()

        commit(edit)
    finally:
        server.shutdown()
        server.server_close()
    path, keys = received[-1]
    assert path == "/purge"
    assert set(keys.split()) == {f"article-{article.pk}", "articles"}


@pytest.mark.django_db
def test_previews_share_links_and_errors_are_never_cached(client, page_cache):
    from articles.models import ShareLink

    draft = make_article(status=Article.Status.DRAFT)
    link = ShareLink.objects.create(article=draft)
    for _ in range(2):
        assert "X-Cache" not in client.get(link.get_absolute_url())
        assert "X-Cache" not in client.get("/no-such-page/")


@pytest.mark.django_db
def test_pages_carry_etags_and_answer_304(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert response["Cache-Control"].startswith("public, max-age=0, must-revalidate")
    etag = response["ETag"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def headers(response):
    """A response's headers, but for the two that say which request it answered and how."""
    return {k: v for k, v in response.items() if k not in ("X-Request-ID", "X-Cache")}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "article", "/tags/ukraine/", "/api/articles/"])
def test_a_page_from_the_cache_has_the_headers_it_had_when_rendered(client, page_cache, url):
    """Policy, ETag, cache lifetimes, CDN keys: a hit is sent as the miss was."""
    article = make_article(tags=["Ukraine"])
    url = article.get_absolute_url() if url == "article" else url
    client.get(url)  # stored, and read again once its keys have versions
    rendered = client.get(url)
    from_cache = client.get(url)
    assert (rendered["X-Cache"], from_cache["X-Cache"]) == ("miss", "hit")
    assert from_cache.content == rendered.content
    assert headers(from_cache) == headers(rendered)
    assert {"ETag", "Content-Security-Policy", "Surrogate-Key"} <= set(headers(from_cache))


@pytest.mark.django_db
def test_a_page_from_the_cache_answers_304_and_an_edit_changes_its_etag(client, page_cache, commit):
    article = make_article(title="First headline")
    url = article.get_absolute_url()
    assert cached(client, url)
    etag = client.get(url)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["X-Cache"] == "hit" and again["ETag"] == etag
    assert again["Content-Security-Policy"] and again["Cache-Control"].startswith("public")
    # Plain strings, as a WSGI server requires of header names (wsgiref refuses others).
    assert all(type(name) is str for name, _ in again.items())
    assert client.get(url, HTTP_IF_NONE_MATCH='"another"').status_code == 200

    def edit():
        article.title = "Corrected headline"
        article.save()

    commit(edit)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Corrected headline" in changed.content.decode()
    assert changed["ETag"] != etag


@pytest.mark.django_db
def test_readers_revalidating_their_copy_fill_the_cache(client, page_cache):
    """A browser or CDN asking "changed since?" gets a 304, and the page is stored all the
    same: other readers are served from the cache."""
    from django.core.cache import cache

    url = make_article().get_absolute_url()
    etag = client.get(url)["ETag"]
    cache.clear()
    for _ in range(2):
        revalidated = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert (revalidated.status_code, revalidated["X-Cache"]) == (304, "miss")
    assert client.get(url)["X-Cache"] == "hit"


@pytest.mark.django_db
def test_a_page_first_asked_for_by_a_head_request_is_served_whole_with_its_etag(client, page_cache):
    url = make_article(title="Asked for by a HEAD").get_absolute_url()
    for _ in range(2):
        client.head(url)
    response = client.get(url)
    assert response["X-Cache"] == "hit" and response["ETag"]
    assert "Asked for by a HEAD" in response.content.decode()


def test_cache_files_are_read_by_djangos_file_cache_and_the_other_way_round(tmp_path):
    """Workers of the release before and after share the cache during a deployment."""
    from django.core.cache.backends.filebased import FileBasedCache

    from newsroom.cache_backends import UncompressedFileBasedCache

    ours, djangos = UncompressedFileBasedCache(tmp_path, {}), FileBasedCache(tmp_path, {})
    page = {"content": "<p>A page</p>" * 1000}
    ours.set("page", page)
    djangos.set("token", "abc")
    assert djangos.get("page") == page and ours.get("token") == "abc"
    assert ours.get("page") == page
    (stored,) = [f for f in tmp_path.iterdir() if f.stat().st_size > 1000]
    assert stored.stat().st_size > len(page["content"])  # uncompressed: quick to read
    large = {"content": "x" * 200_000}  # read in several parts
    ours.set("large", large)
    assert ours.get("large") == large == djangos.get("large")
    for cache in ours, djangos:
        cache.set("expired", "old", timeout=-1)
        assert ours.get("expired") is None and djangos.get("expired") is None
        assert not ours.has_key("expired")  # and its file is gone


@pytest.mark.django_db
def test_a_scheduled_article_appears_once_the_cache_expires(client, settings):
    settings.PAGE_CACHE_SECONDS = 1
    make_article(
        title="Scheduled story", published_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    assert "Scheduled story" not in client.get("/").content.decode()
    time.sleep(2.2)  # past the publication time and the page's lifetime, with no edit
    assert "Scheduled story" in client.get("/").content.decode()


# Several worker processes


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode(), response.headers.get("X-Cache")


@pytest.fixture(scope="module")
def two_worker_site(tmp_path_factory):
    """The demo site on its own SQLite file, served by gunicorn with two worker processes."""
    folder = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CACHE_URL": f"file://{folder / 'cache'}",
        "MEDIA_ROOT": str(folder / "media"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PAGE_CACHE_SECONDS": "60",
    }
    env.pop("NEWSROOM_ENV", None)

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=120)  # fmt: skip

    manage("migrate", "-v0")
    manage("load_demo")
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "newsroom.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            fetch(base + "/robots.txt")
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
    yield base, manage
    server.terminate()
    server.wait(timeout=10)


def test_an_edit_from_another_process_shows_at_once_through_every_worker(two_worker_site):
    base, manage = two_worker_site
    article = "/articles/2025/03/18/uk-eu-talks-ukraine-defence-kallas-london/"
    pages = [article, "/", "/tags/ukraine/", "/events/uk-eu-summit-2025/", "/feeds/latest/"]
    old = "UK and EU join forces on Ukraine"
    hits = 0
    for url in pages:
        for _ in range(8):  # enough requests for both workers to have cached each page
            body, cache_state = fetch(base + url)
            assert old in body, url
            hits += cache_state == "hit"
    assert hits > len(pages)

    manage(
        "shell", "-c",
        "from articles.models import Article; a = Article.objects.get(live=None); "
        "a.title = 'Headline corrected from another process'; a.save()",
    )  # fmt: skip
    for url in pages:
        for _ in range(6):
            body, _ = fetch(base + url)
            assert "Headline corrected from another process" in body, url
            assert old not in body, url


@pytest.fixture
def unreachable_cache(settings):
    """The shared cache is Redis on a port where nothing listens."""
    reachable = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    settings.CACHES = reachable
    invalidation.retry_at = 0.0  # the cache is back: ask it at once, not a second later


@pytest.mark.django_db
def test_readers_get_live_pages_while_the_cache_is_unreachable(client, page_cache, commit,
                                                               unreachable_cache):  # fmt: skip
    article = make_article(title="Still readable", tags=["Ukraine"])
    for url in [article.get_absolute_url(), "/", "/tags/ukraine/", "/search/?q=still"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "readable" in response.content.decode(), url

    def edit():
        article.title = "Edited while the cache was down"
        article.save()

    commit(edit)  # the save stands; the renewal that could not be sent is logged
    assert Article.objects.get(pk=article.pk).title == "Edited while the cache was down"
    assert "Edited while" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_page_rendered_within_the_replica_lag_of_an_edit_is_rendered_again(
    client, page_cache, commit, settings
):
    """A replica may not have the edit yet: what it rendered just after is not kept."""
    settings.DATABASE_REPLICA_MAX_LAG = 30
    article = make_article(title="Lagging story")

    def edit():
        article.title = "Lagging story, edited"
        article.save()

    commit(edit)
    for _ in range(3):
        assert client.get(article.get_absolute_url())["X-Cache"] == "miss"
    settings.DATABASE_REPLICA_MAX_LAG = 0
    assert cached(client, article.get_absolute_url())


@pytest.mark.django_db
def test_counts_and_busiest_tags_are_computed_once_until_the_content_changes(
    client, page_cache, commit
):
    """Re-rendering a page (another address, same lists) reuses the counts: their
    queries hold the current time, which must not make every request a new one."""
    commit(lambda: [make_article(tags=["Ukraine"]) for _ in range(3)])
    client.get("/tags/ukraine/")
    with CaptureQueriesContext(connection) as first:
        client.get("/tags/ukraine/?utm=1")
    with CaptureQueriesContext(connection) as again:
        client.get("/tags/ukraine/?utm=2")
    assert len(again.captured_queries) == len(first.captured_queries)
    counting = [q for q in again.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert counting == []
