"""
Several stateless app servers: two gunicorn servers in production configuration, one
PostgreSQL, one Redis, one S3-compatible store. What is done through one is seen at
once through the other.
"""

import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.db import connection

from tests.factories import make_article
from tests.servers import S3_CREDENTIALS, S3_REGION, free_port
from tests.test_editorial import form_data

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "a-long-editor-password-for-two-servers"

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: app servers on several machines cannot share an SQLite file "
    "(set DATABASE_URL=postgres://...; .ci/run runs the suite on PostgreSQL too)",
)


class Browser:
    """Just enough of a browser for the admin: cookies kept, redirects not followed."""

    def __init__(self):
        self.cookies = {}

    def request(self, base, method, path, data=None):
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        connection.close()
        return response.status, dict(response.getheaders()), text

    def csrf_token(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def database_url():
    db = connection.settings_dict  # the test database, which the servers share with us
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until_ready(base, server, log):
    deadline = time.monotonic() + 60
    while True:
        try:
            status, _, _ = Browser().request(base, "GET", "/readyz")
            if status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"gunicorn at {base} did not become ready:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


@pytest.fixture
def two_app_servers(transactional_db, redis_server, s3_bucket, tmp_path):
    endpoint, bucket, _ = s3_bucket
    ignored = {"DATABASE_CONN_MAX_AGE", "DATABASE_POOL", "DATABASE_REPLICA_URL", "DEBUG",
               "SINGLE_MACHINE", "MEDIA_STORAGE", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        NEWSROOM_ENV="production",
        SECRET_KEY="two-app-servers-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, as behind a TLS-ending proxy
        DATABASE_URL=database_url(),
        CACHE_URL=redis_server,
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME=S3_REGION,
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_ACCESS_KEY_ID=S3_CREDENTIALS["access_key"],
        AWS_SECRET_ACCESS_KEY=S3_CREDENTIALS["secret_key"],
        STATIC_ROOT=str(tmp_path / "static"),
        PAGE_CACHE_SECONDS="60",
        GUNICORN_WORKERS="2",
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True, capture_output=True, timeout=180)  # fmt: skip
    servers, running = [], []
    try:
        for name in ("a", "b"):
            base = f"http://127.0.0.1:{free_port()}"
            log = tmp_path / f"server-{name}.log"
            server = subprocess.Popen(
                [GUNICORN, "-c", "gunicorn.conf.py"], cwd=ROOT,
                env={**env, "GUNICORN_BIND": base.removeprefix("http://")},
                stdout=subprocess.DEVNULL, stderr=log.open("w"),
            )  # fmt: skip
            servers.append(server)
            wait_until_ready(base, server, log)
            running.append((base, log))
        yield running
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()


def test_an_edit_through_one_server_is_read_at_once_through_the_other(two_app_servers):
    (server_a, log_a), (server_b, _) = two_app_servers
    editor = User.objects.create(username="desk", is_staff=True, is_superuser=True)
    editor.password = PBKDF2PasswordHasher().encode(PASSWORD, "desksalt", iterations=1000)
    editor.save()
    article = make_article(title="Talks open in London", tags=["Ukraine"])
    url = article.get_absolute_url()

    reader = Browser()
    # Stored on the first reading, or the second where the page's keys had no version yet.
    for expected_cache in ("miss", None, "hit"):
        status, headers, html = reader.request(server_b, "GET", url)
        assert status == 200 and "Talks open in London" in html
        assert headers["X-Cache"] == (expected_cache or headers["X-Cache"])

    browser = Browser()
    _, _, login_page = browser.request(server_a, "GET", f"/{settings.ADMIN_URL}login/")
    status, headers, _ = browser.request(
        server_a, "POST", f"/{settings.ADMIN_URL}login/?next=/{settings.ADMIN_URL}",
        {"username": "desk", "password": PASSWORD,
         "csrfmiddlewaretoken": browser.csrf_token(login_page)},
    )  # fmt: skip
    assert status == 302, "the login through server A failed"

    # The session is in the shared database: server B knows the editor too.
    change = f"/{settings.ADMIN_URL}articles/article/{article.pk}/change/"
    status, _, form_page = browser.request(server_b, "GET", change)
    assert status == 200 and "Talks open in London" in form_page

    article.refresh_from_db()
    edit = form_data(article, title="Talks end with a joint statement")
    edit.update(csrfmiddlewaretoken=browser.csrf_token(form_page), _save="Save")
    status, _, page = browser.request(server_a, "POST", change, edit)
    assert status == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', page, re.S)

    status, _, html = reader.request(server_b, "GET", url)
    assert status == 200
    assert "Talks end with a joint statement" in html and "Talks open in London" not in html

    # Server A logged the edit as one JSON line.
    lines = [json.loads(line) for line in log_a.read_text().splitlines() if line.startswith("{")]
    assert {"method": "POST", "path": change, "status": 302} in [
        {key: line[key] for key in ("method", "path", "status")} for line in lines
    ]
