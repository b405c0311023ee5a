import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**environ):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    env.update(environ, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(NEWSROOM_ENV="production", ALLOWED_HOSTS="news.example.com")
    assert result.returncode != 0
    assert "Refusing to start in production: SECRET_KEY is not set" in result.stderr


def test_production_refuses_debug():
    result = load_settings(
        NEWSROOM_ENV="production", SECRET_KEY="x" * 60, DEBUG="1", ALLOWED_HOSTS="news.example.com"
    )
    assert result.returncode != 0
    assert "DEBUG is on" in result.stderr


def test_production_starts_with_a_safe_configuration():
    result = load_settings(
        NEWSROOM_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="news.example.com"
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
