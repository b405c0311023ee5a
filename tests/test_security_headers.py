"""Headers that protect readers and editors, on every response."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "article", "/admin/login/", "/no-such-page/"])
def test_every_response_carries_the_protective_headers(client, url):
    if url == "article":
        url = make_article().get_absolute_url()
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script can run
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def production_environment(**extra):
    ignored = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set the last
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        NEWSROOM_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="news.example.com",
        CACHE_URL="redis://127.0.0.1:6379/0",  # nothing connects to either during these checks
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        TRUSTED_PROXY_COUNT="1",  # nginx in front, as docs/deploy.md's environment file
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        **extra,
    )
    return env


def test_the_deployment_checklist_finds_nothing_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_environment(), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_and_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_environment(),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True"]
