"""The shipped gunicorn configuration is one gunicorn accepts and serves the site with."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(**extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **extra}
    env.pop("NEWSROOM_ENV", None)
    return env


def test_gunicorn_accepts_the_configuration():
    result = subprocess.run(
        [GUNICORN, "--check-config", "-c", "gunicorn.conf.py"],
        cwd=ROOT, env=environment(GUNICORN_WORKERS="2"), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_serves_the_site_with_it(tmp_path):
    port = free_port()
    env = environment(
        GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CACHE_URL="locmem://",
    )  # fmt: skip
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200 and r.read() == b"ok\n"
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=35)
