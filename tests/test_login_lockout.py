"""The admin login stands up to password guessing; staff sessions do not last for ever."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def attempt(client, password):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_a_brute_force_run_is_stopped(client, django_user_model):
    django_user_model.objects.create_user(
        "editor", password="the-real-long-password", is_staff=True, is_superuser=True
    )
    for guess in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, f"guess-{guess}")
        assert response.status_code == 200  # the login form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()
    locked = attempt(client, "one-more-guess")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Even the right password is refused while the lockout lasts.
    response = attempt(client, "the-real-long-password")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_is_not_hindered(client, django_user_model):
    django_user_model.objects.create_user(
        "editor", password="the-real-long-password", is_staff=True, is_superuser=True
    )
    assert attempt(client, "a-typo").status_code == 200
    response = attempt(client, "the-real-long-password")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_the_admin_address_is_configurable(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); "
        "from django.urls import reverse; print(reverse('admin:index'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings",
             "ADMIN_URL": "desk-7f3a/"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "/desk-7f3a/"


def test_an_administrator_cleans_up_expired_attempts(client, django_user_model):
    """The admin's “Clean up expired attempts” removes old failures and keeps recent ones."""
    import datetime

    from axes.models import AccessAttempt
    from django.utils import timezone

    admin_user = django_user_model.objects.create_user(
        "admin", password="the-real-long-password", is_staff=True, is_superuser=True
    )
    seen = {"user_agent": "test", "ip_address": "203.0.113.7", "path_info": "/admin/login/"}
    old, _ = (
        AccessAttempt.objects.create(
            **seen, username=name, get_data="", post_data="", failures_since_start=1
        )
        for name in ("old", "recent")
    )
    past = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=past)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [old.pk], "index": "0"},
    )
    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]
