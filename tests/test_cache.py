"""Whole-page caching: fast for readers, never stale after an edit, whichever process."""

import datetime
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.mark.django_db
def test_anonymous_readers_get_cached_pages_and_staff_live_ones(client, admin_user, page_cache):
    article = make_article(tags=["Ukraine"])
    assert client.get(article.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
    client.force_login(admin_user)
    assert "X-Cache" not in client.get(article.get_absolute_url())


@pytest.mark.django_db
def test_an_edit_is_seen_at_once(client, page_cache, django_capture_on_commit_callbacks):
    article = make_article(title="First headline", tags=["Ukraine"])
    for url in [article.get_absolute_url(), "/", "/tags/ukraine/", "/feeds/latest/"]:
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Corrected headline"
        article.save()
    for url in [article.get_absolute_url(), "/", "/tags/ukraine/", "/feeds/latest/"]:
        body = client.get(url).content.decode()
        assert "Corrected headline" in body and "First headline" not in body, url


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
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    etag = response["ETag"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


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
        "from articles.models import Article; a = Article.objects.get(); "
        "a.title = 'Headline corrected from another process'; a.save()",
    )  # fmt: skip
    for url in pages:
        for _ in range(6):
            body, _ = fetch(base + url)
            assert "Headline corrected from another process" in body, url
            assert old not in body, url
