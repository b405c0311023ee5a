"""A read replica serves readers' pages; writes, the admin and staff use the primary."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/articles/2025/03/18/uk-eu-talks-ukraine-defence-kallas-london/"

# Run inside a site whose replica is a copy of the primary taken before an edit, so
# that which database answered shows in the headline.
READ_BOTH_WAYS = f"""
import json, django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from articles.models import Article

def headline(client, url):
    html = client.get(url).content.decode()
    return "replica" if "UK and EU join forces" in html else "primary" if "Edited" in html else html

reader = Client(HTTP_HOST="localhost")
editor = Client(HTTP_HOST="localhost")
editor.force_login(User.objects.get(username="editor"))
article = Article.objects.get(live=None)
print(json.dumps({{
    "reader_article": headline(reader, "{ARTICLE}"),
    "reader_front_page": headline(reader, "/"),
    "staff_article": headline(editor, "{ARTICLE}"),
    "admin_form": headline(editor, f"/admin/articles/article/{{article.pk}}/change/"),
    "orm_outside_requests": Article.objects.get(live=None).title,
}}))
"""


@pytest.fixture
def primary_and_lagging_replica(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{primary}",
        "CACHE_URL": "locmem://",
        "PAGE_CACHE_SECONDS": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for name in ("NEWSROOM_ENV", "DATABASE_REPLICA_URL", "DEBUG", "ALLOWED_HOSTS"):
        env.pop(name, None)

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=120)  # fmt: skip

    manage("migrate", "-v0")
    manage("load_demo")
    manage("demo_login")
    with sqlite3.connect(primary) as source, sqlite3.connect(replica) as copy:
        source.backup(copy)
    manage("shell", "-c", "from articles.models import Article; "
           "a = Article.objects.get(live=None); "
           "a.title = 'Edited on the primary'; a.save()")  # fmt: skip
    return {**env, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"}


def test_public_reads_go_to_the_replica_and_everything_else_to_the_primary(
    primary_and_lagging_replica,
):
    result = subprocess.run(
        [sys.executable, "-c", READ_BOTH_WAYS], cwd=ROOT, env=primary_and_lagging_replica,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "reader_article": "replica",
        "reader_front_page": "replica",
        "staff_article": "primary",  # an editor checking their change sees it
        "admin_form": "primary",
        "orm_outside_requests": "Edited on the primary",  # commands, signals, shells
    }
