"""Readers and two editors saving through the admin at once: no 5xx, no lost save, no lock."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_writers", ROOT / "bench" / "writers.py")
writers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(writers)

SECONDS = 10


def database_url(tmp_path):
    """PostgreSQL: the test database itself. SQLite: a file of its own for the site."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        login = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{login}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


@pytest.fixture
def writers_site(transactional_db, tmp_path):
    """gunicorn with three workers on a database the test can read afterwards."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": database_url(tmp_path),
        "CACHE_URL": f"file://{tmp_path / 'cache'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PAGE_CACHE_SECONDS": "60",
    }
    env.pop("NEWSROOM_ENV", None)
    if connection.vendor != "postgresql":
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                       check=True, timeout=300)  # fmt: skip
    log = tmp_path / "gunicorn.log"
    server, port = writers.start_server(env, 3, log)
    yield env, port, log
    writers.stop_server(server)


@pytest.mark.load
def test_two_editors_and_readers_lose_nothing_and_see_no_errors(writers_site):
    env, port, log = writers_site
    plan = writers.prepare(env)
    editors = [tuple(editor) for editor in plan["editors"]]
    ids = [pk for _, pk in editors]
    before = writers.database_state(env, ids)

    tally = writers.run_load(port, plan["paths"], editors, SECONDS, readers=3)

    after = writers.database_state(env, ids)
    verdict = writers.check(tally, before, after, log.read_text())
    saves = sum(len(values) for values in tally.acknowledged.values())
    assert verdict["server_errors"] == 0, log.read_text()[-3000:]
    assert verdict["lost"] == []
    assert verdict["locked"] == 0 and verdict["tracebacks"] == 0
    assert tally.errors == [] and tally.refused == []
    assert saves >= 4, "both editors saved, several times"
    assert len(tally.latencies["read"]) > saves
