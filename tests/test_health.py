"""Health checks a load balancer can rely on, and one structured log line per request."""

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket closes


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")  # no database access is allowed in this test
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database:default": "ok", "cache": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_says_which_part_is_down(client, caplog):
    port = closed_port()
    redis_down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    with override_settings(CACHES=redis_down):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database:default": "ok", "cache": "unreachable"},
    }
    assert "Readiness check cache failed" in caplog.text  # the reason, for the operator only
    assert str(port) not in response.content.decode()


def test_readyz_reports_an_unreachable_database(tmp_path):
    """A database that cannot be opened: 503, not a 500 page."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}",
        "CACHE_URL": "locmem://",
    }
    env.pop("NEWSROOM_ENV", None)
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/readyz'); print(r.status_code, r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["checks"] == {"database:default": "unreachable", "cache": "ok"}


@pytest.mark.django_db
def test_health_checks_answer_a_load_balancer_whatever_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # pages still check


@pytest.mark.django_db
def test_health_checks_are_never_cached_as_pages(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    for _ in range(2):
        response = client.get("/readyz")
        assert "X-Cache" not in response


@pytest.mark.django_db
def test_each_request_is_logged_as_one_json_line(client, caplog):
    article = make_article()
    caplog.set_level(logging.INFO, logger="newsroom.requests")
    client.get(article.get_absolute_url(), HTTP_X_REQUEST_ID="lb-1234")
    client.get("/no-such-page/")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "newsroom.requests"]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", article.get_absolute_url(), 200),
        ("GET", "/no-such-page/", 404),
    ]
    assert lines[0]["request_id"] == "lb-1234"  # the load balancer's id, to follow a request
    assert len(lines[1]["request_id"]) == 32
    assert all(isinstance(line["duration_ms"], float) for line in lines)


@pytest.mark.django_db
def test_the_request_id_is_sent_back_and_only_a_sane_one_is_trusted(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x"}\n{"status": 200')
    assert forged["X-Request-ID"] != 'x"}\n{"status": 200' and len(forged["X-Request-ID"]) == 32


def test_request_logs_are_on_in_production_and_quiet_elsewhere():
    code = (
        "import django, logging; django.setup(); "
        "print(logging.getLogger('newsroom.requests').level)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"NEWSROOM_ENV", "REQUEST_LOG"}}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"

    def level(**extra):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, **extra},
                                capture_output=True, text=True, timeout=60)  # fmt: skip
        assert result.returncode == 0, result.stderr
        return int(result.stdout)

    production = {"NEWSROOM_ENV": "production", "SECRET_KEY": "x" * 60,
                  "ALLOWED_HOSTS": "news.example.com", "SINGLE_MACHINE": "true"}  # fmt: skip
    assert level(**production) == logging.INFO
    assert level() == logging.WARNING
    assert level(REQUEST_LOG="true") == logging.INFO
