"""Settings come from the environment, and production refuses what is unsafe, saying why."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ_BY_SETTINGS = {
    "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "NEWSROOM_ENV", "DATABASE_URL", "DATABASE_POOL",
    "DATABASE_CONN_MAX_AGE", "DATABASE_REPLICA_URL", "CACHE_URL", "MEDIA_STORAGE",
    "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_CUSTOM_DOMAIN", "SINGLE_MACHINE",
    "REQUEST_LOG", "TRUSTED_PROXY_COUNT", "TRUSTED_PROXIES", "GUNICORN_FORWARDED_ALLOW_IPS",
}  # fmt: skip
# What several app servers behind a load balancer need: shared cache, media off the disk.
SCALE_OUT = {
    "NEWSROOM_ENV": "production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "news.example.com",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
}


def load_settings(*names, **environ):
    """Start Django with only ``environ`` set; print the ``names`` settings as JSON."""
    env = {k: v for k, v in os.environ.items() if k not in READ_BY_SETTINGS}
    env.update(environ, DJANGO_SETTINGS_MODULE="newsroom.settings")
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def settings_of(*names, **environ):
    result = load_settings(*names, **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(**{**SCALE_OUT, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Refusing to start in production: SECRET_KEY is not set" in result.stderr


def test_production_refuses_debug():
    result = load_settings(**SCALE_OUT, DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG is on" in result.stderr


def test_production_refuses_any_host():
    result = load_settings(**{**SCALE_OUT, "ALLOWED_HOSTS": "*"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is '*'" in result.stderr


def test_debug_is_refused_with_public_hosts_even_off_production():
    result = load_settings(ALLOWED_HOSTS="news.example.com,localhost")
    assert result.returncode != 0
    assert "DEBUG is on while ALLOWED_HOSTS names public hosts (news.example.com)" in result.stderr
    assert settings_of("DEBUG", ALLOWED_HOSTS="news.example.com", DEBUG="0") == {"DEBUG": False}


def test_every_problem_is_named_at_once():
    result = load_settings(NEWSROOM_ENV="production", DEBUG="1")
    assert result.returncode != 0
    reasons = [
        "SECRET_KEY is not set",
        "DEBUG is on",
        "ALLOWED_HOSTS is empty",
        "CACHE_URL is not a shared Redis",
        "media would be stored on this machine",
    ]
    for reason in reasons:
        assert reason in result.stderr


def test_production_starts_with_a_safe_configuration():
    values = settings_of("DEBUG", "SESSION_ENGINE", "STORAGES", **SCALE_OUT)
    assert values["DEBUG"] is False
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"  # not on a disk
    assert values["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"


def test_several_app_servers_need_a_shared_cache_and_media_off_the_disk():
    result = load_settings(**{**SCALE_OUT, "CACHE_URL": "file:///var/cache/newsroom"})
    assert result.returncode != 0
    assert "CACHE_URL is not a shared Redis" in result.stderr

    result = load_settings(**{**SCALE_OUT, "AWS_STORAGE_BUCKET_NAME": ""})
    assert result.returncode != 0
    assert "media would be stored on this machine's disk" in result.stderr

    one_machine = {**SCALE_OUT, "CACHE_URL": "", "AWS_STORAGE_BUCKET_NAME": ""}
    values = settings_of("CACHES", "STORAGES", **one_machine, SINGLE_MACHINE="true")
    assert "FileBasedCache" in values["CACHES"]["default"]["BACKEND"]
    assert values["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")


def test_s3_media_is_configured_from_the_environment():
    values = settings_of(
        "STORAGES", "SECURE_CSP",
        AWS_STORAGE_BUCKET_NAME="pictures", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000/",
        AWS_S3_CUSTOM_DOMAIN="media.example.com",
    )  # fmt: skip
    media = values["STORAGES"]["default"]
    assert media["OPTIONS"]["bucket_name"] == "pictures"
    assert media["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000/"
    assert media["OPTIONS"]["querystring_auth"] is False  # plain URLs a CDN can cache
    assert "https://media.example.com" in values["SECURE_CSP"]["img-src"]


def test_postgresql_connections_are_pooled_in_production():
    url = "postgres://newsroom@127.0.0.1:5432/newsroom"
    values = settings_of("DATABASES", **SCALE_OUT, DATABASE_URL=url)
    database = values["DATABASES"]["default"]
    assert database["OPTIONS"]["pool"]["max_size"] >= 1
    assert database["CONN_MAX_AGE"] == 0  # pooling and persistent connections exclude each other

    development = settings_of("DATABASES", DATABASE_URL=url)["DATABASES"]["default"]
    assert "pool" not in development["OPTIONS"]
    pooled = settings_of("DATABASES", DATABASE_URL=url, DATABASE_POOL="true")
    assert pooled["DATABASES"]["default"]["OPTIONS"]["pool"]

    persistent = settings_of("DATABASES", **SCALE_OUT, DATABASE_URL=url, DATABASE_CONN_MAX_AGE="60")
    assert "pool" not in persistent["DATABASES"]["default"]["OPTIONS"]
    assert persistent["DATABASES"]["default"]["CONN_MAX_AGE"] == 60

    both = load_settings(DATABASE_URL=url, DATABASE_POOL="true", DATABASE_CONN_MAX_AGE="60")
    assert both.returncode != 0
    assert "DATABASE_POOL and DATABASE_CONN_MAX_AGE cannot be used together" in both.stderr


def test_a_replica_url_adds_the_replica_and_its_router():
    values = settings_of(
        "DATABASES", "DATABASE_ROUTERS",
        DATABASE_URL="postgres://newsroom@db1/newsroom",
        DATABASE_REPLICA_URL="postgres://newsroom@db2/newsroom",
    )  # fmt: skip
    assert values["DATABASES"]["replica"]["HOST"] == "db2"
    assert values["DATABASE_ROUTERS"] == ["newsroom.db_routers.PublicReadRouter"]
    assert settings_of("DATABASE_ROUTERS") == {"DATABASE_ROUTERS": []}


def manage_check(*arguments, **environ):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never does.
    ignored = {*READ_BY_SETTINGS, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(environ, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check", *arguments], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_deployment_check_warns_when_no_proxy_is_counted():
    """An existing deployment behind nginx that never set TRUSTED_PROXY_COUNT is told."""
    production = {**SCALE_OUT, "SECRET_KEY": secrets.token_urlsafe(60)}  # Django checks it
    result = manage_check("--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode != 0
    assert "(newsroom.W001) TRUSTED_PROXY_COUNT is 0" in result.stderr
    assert "a password guesser locks the accounts they try out for everyone" in result.stderr

    counted = manage_check("--deploy", "--fail-level", "WARNING", **production,
                           TRUSTED_PROXY_COUNT="1")  # fmt: skip
    assert counted.returncode == 0, counted.stderr
    assert "newsroom.W001" not in counted.stdout + counted.stderr


def test_development_checks_stay_clean():
    """What the test target runs: no deployment checks, and no warning."""
    result = manage_check("--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    deploy = manage_check("--deploy")
    assert "newsroom.W001" not in deploy.stdout + deploy.stderr  # production only


def test_trusted_proxies_default_to_gunicorns_and_are_checked():
    assert settings_of("TRUSTED_PROXIES") == {"TRUSTED_PROXIES": ["127.0.0.1"]}
    values = settings_of("TRUSTED_PROXIES", GUNICORN_FORWARDED_ALLOW_IPS="10.0.0.5, 10.0.1.0/24")
    assert values == {"TRUSTED_PROXIES": ["10.0.0.5", "10.0.1.0/24"]}
    values = settings_of(
        "TRUSTED_PROXIES", GUNICORN_FORWARDED_ALLOW_IPS="10.0.0.5", TRUSTED_PROXIES="::1"
    )
    assert values == {"TRUSTED_PROXIES": ["::1"]}
    result = load_settings(TRUSTED_PROXIES="127.0.0.1,nginx.internal")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nginx.internal' is not an address or a network" in result.stderr
