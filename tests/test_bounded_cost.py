"""
Hostile input, within the documented limits or just past them, sent to a real gunicorn
with its real 30-second timeout: each request is answered in well under it, with a
clear refusal naming the limit or a successful save, never a 500 or a killed worker.
"""

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.conf import settings

from articles import limits

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_writers", ROOT / "bench" / "writers.py")
writers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(writers)

pytestmark = pytest.mark.load

SECONDS = 10  # a third of gunicorn's timeout: each answer must come well within it
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "bounded-cost-" + "p" * 20

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from taggit.models import Tag
from articles.models import ApiToken, Article
from articles.roles import EDITORS, ensure_roles
ensure_roles()
editor = get_user_model().objects.create_user("bounded-editor", password=PASSWORD, is_staff=True)
editor.groups.add(Group.objects.get(name=EDITORS))
article = Article.objects.create(title="Bounded", slug="bounded", body="A paragraph.",
                                 standfirst="Before.", created_by=editor)
article.authors.add(editor)
article.tags.add("Estonia")
Tag.objects.bulk_create(
    [Tag(name=f"Min tag {n}", slug=f"min-tag-{n}") for n in range(10_000)]
    + [Tag(name="Kaja Kallas", slug="kaja-kallas"), Tag(name="Kaja Kalas", slug="kaja-kalas")]
)
print(json.dumps({"token": ApiToken.issue(editor, "Wire")[1], "article": article.pk}))
"""


class Database:
    """The server's database, a fresh one: a SQLite file, or a new PostgreSQL database."""

    def __init__(self, tmp_path):
        self.default = settings.DATABASES["default"]
        self.postgresql = "postgresql" in self.default["ENGINE"]
        if self.postgresql:
            self.name = f"{self.default['NAME']}_bounded"
            d = self.default
            login = d["USER"] + (f":{d['PASSWORD']}" if d["PASSWORD"] else "")
            self.server = f"postgres://{login}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/"
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            self.url = self.server + self.name
        else:
            self.path = tmp_path / "db.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self, *statements):
        import psycopg

        with psycopg.connect(self.server + "postgres", autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def value(self, sql):
        if self.postgresql:
            import psycopg

            with psycopg.connect(self.url) as connection:
                return connection.execute(sql).fetchone()[0]
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql).fetchone()[0]

    def drop(self):
        if self.postgresql:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn as deployed (gunicorn.conf.py, two workers, 30 s timeout) on loopback."""
    tmp_path = tmp_path_factory.mktemp("bounded")
    database = Database(tmp_path)
    port = writers.free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": database.url,
        "CACHE_URL": f"file://{tmp_path / 'cache'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_TIMEOUT": "30",
    }
    env.pop("NEWSROOM_ENV", None)
    run = {"cwd": ROOT, "env": env, "check": True, "timeout": 300}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
    made = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP.replace("PASSWORD", repr(PASSWORD))],
        capture_output=True, text=True, **run,
    )  # fmt: skip
    setup = json.loads(made.stdout.strip().splitlines()[-1])
    log_path = tmp_path / "gunicorn.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    server.log = log
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, log_path.read_text()
            try:
                HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                time.sleep(0.2)
        editor = writers.Browser(port)
        editor.login("/admin/", "bounded-editor", PASSWORD)
        for _ in range(4):  # both workers load the code before anything is timed
            writers.Browser(port).request("GET", "/admin/login/")
        yield {"port": port, "editor": editor, "database": database, "log": log_path, **setup}
    finally:
        writers.stop_server(server)
        database.drop()
    text = log_path.read_text()
    assert "WORKER TIMEOUT" not in text and "Traceback" not in text, text[-3000:]


def timed(call, *args):
    started = time.monotonic()
    status, _, body = call(*args)
    elapsed = time.monotonic() - started
    assert status < 500, body[-2000:]
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    return status, body


def ingest(site, body, content_type="text/plain"):
    connection = HTTPConnection("127.0.0.1", site["port"], timeout=60)
    data = body.encode() if isinstance(body, str) else body
    headers = {
        "Host": f"127.0.0.1:{site['port']}",
        "Authorization": f"Bearer {site['token']}",
        "Content-Type": content_type,
        "Content-Length": str(len(data)),
    }
    connection.request("POST", "/api/ingest/", body=data, headers=headers)
    response = connection.getresponse()
    return response.status, response.headers, response.read().decode()


def change_form(site, **changes):
    """The article's change form as the editor's browser would post it, with ``changes``."""
    url = f"/admin/articles/article/{site['article']}/change/"
    _, _, page = site["editor"].request("GET", url)
    form = writers.read_form(page, "article_form")
    form.update({name: [value] for name, value in changes.items()})
    return site["editor"].request, "POST", url, form


def save(site, **changes):
    return timed(*change_form(site, **changes))


def errors(page):
    return " ".join(writers.re.findall(r'class="errorlist[^>]*>(.*?)</ul>', page, writers.re.S))


def article_value(site, column):
    return site["database"].value(
        f"SELECT {column} FROM articles_article WHERE id = {site['article']}"
    )


# The ingest API


def test_a_megabyte_of_brackets_is_refused_at_once_as_text_and_as_json(site):
    status, body = timed(ingest, site, "[" * 1_000_000)
    assert status == 400
    assert "at most 100,000" in json.loads(body)["detail"]
    status, body = timed(ingest, site, "[" * 1_000_000, "application/json")
    assert status == 400
    assert "nests arrays and objects more than" in json.loads(body)["detail"]


def test_a_story_with_four_thousand_quotes_is_refused_at_once(site):
    story = "Headline\n\n" + "“One two three four,” she said. " * 3_000
    status, body = timed(ingest, site, story)
    assert status == 400
    assert f"at most {limits.MAX_QUOTES_PER_ARTICLE}" in json.loads(body)["detail"]


def test_a_story_of_brackets_at_the_body_limit_is_saved(site):
    status, body = timed(ingest, site, "Brackets\n\n" + "[a" * 49_000 + "\n\nThe end.")
    assert status == 201, body
    assert json.loads(body)["status"] == "draft"


# The admin's article form


def test_ten_thousand_new_tags_are_refused_naming_the_limit(site):
    before = site["database"].value("SELECT count(*) FROM taggit_tag")
    status, page = save(site, new_tags=", ".join(f"New tag {n}" for n in range(10_000)))
    assert status == 200
    assert f"at most {limits.MAX_TAGS_PER_ARTICLE} tags" in errors(page)
    assert site["database"].value("SELECT count(*) FROM taggit_tag") == before


def test_a_body_of_300_kb_of_nested_brackets_is_refused_naming_the_limit(site):
    status, page = save(site, body="[" * 150_000 + "]" * 150_000)
    assert status == 200
    assert "at most 100,000 characters" in errors(page)
    assert article_value(site, "body") == "A paragraph."


def test_a_body_nested_too_deeply_is_refused_saying_where(site):
    status, page = save(site, body="Fine.\n\n" + "> " * 40 + "Deep.\n\nAfter.")
    assert status == 200
    assert "nested too deeply at line 3" in errors(page)
    assert article_value(site, "body") == "A paragraph."


def test_a_body_of_brackets_at_the_limit_is_saved(site):
    body = "![" * (limits.MAX_BODY_CHARS // 2)
    status, _ = save(site, body=body)
    assert status == 302
    assert article_value(site, "length(body)") == limits.MAX_BODY_CHARS


# The importer, search, and the vocabulary


def test_the_importer_reads_runs_of_quotation_marks_and_endless_lines_quickly(site):
    url = "/admin/articles/article/import/"
    _, _, page = site["editor"].request("GET", url)
    token = writers.re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[:1]
    cases = ['"' * 99_000, "Headline\n\n" + "and so on " * 9_900, "“a " * 33_000, "a" * 300_000,
             "Headline\n\n" + "“One two three four,” she said. " * 3_000]  # fmt: skip
    for text in cases:
        fields = {"csrfmiddlewaretoken": token, "_step": ["analyse"], "text": [text],
                  "published_on": ["2026-06-01"]}  # fmt: skip
        status, page = timed(site["editor"].request, "POST", url, fields)
        assert status == 200
        if len(text) > limits.MAX_IMPORT_CHARS:
            assert "at most 100,000" in errors(page)
        elif "she said" in text:
            assert "more than 100 quotations" in errors(page)
        else:
            assert 'value="save"' in page, errors(page)


def test_searches_of_thousands_of_words_answer_at_once(site):
    # As many as an address may hold (gunicorn refuses a request line past 4 KB).
    words = " ".join(chr(ord("a") + n % 26) for n in range(1_900))
    query = urllib.parse.urlencode({"q": words})
    status, _ = timed(site["editor"].request, "GET", f"/search/?{query}")
    assert status == 400
    for typed in (words, words.replace(" ", "-")):
        query = urllib.parse.urlencode({"q": typed})
        status, _ = timed(site["editor"].request, "GET", f"/admin/articles/article/?{query}")
        assert status == 200


def test_clean_up_among_ten_thousand_similar_tags_finds_the_near_duplicates(site):
    status, page = timed(site["editor"].request, "GET", "/admin/vocabulary/")
    assert status == 200
    assert "“Kaja Kalas”, “Kaja Kallas”" in page


def test_a_new_name_is_checked_against_ten_thousand_others_quickly(site):
    url = "/admin/taggit/tag/add/"
    _, _, page = site["editor"].request("GET", url)
    fields = writers.read_form(page, "tag_form")
    fields.update(name=["Kaja Kallass"], slug=["kaja-kallass"])
    status, page = timed(site["editor"].request, "POST", url, fields)
    assert status == 200
    assert "already exists" in errors(page)
