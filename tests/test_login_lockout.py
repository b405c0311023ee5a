"""The admin login stands up to password guessing; staff sessions do not last for ever."""

import pytest
from django.conf import settings
from django.test import Client
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


# Behind nginx every request comes from nginx's address; the client's is the entry nginx
# appends to X-Forwarded-For (docs/deploy.md), and anything left of it is the client's own.

PROXY = "127.0.0.1"
GUESSER = "198.51.100.66"
EDITOR = "203.0.113.7"


def through_proxy(client, password, address, forged=(), connected=PROXY):
    """A login as nginx passes it on: X-Forwarded-For is what came in, then the client."""
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR=connected,
        HTTP_X_FORWARDED_FOR=", ".join([*forged, address]),
    )


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", password="the-real-long-password", is_staff=True, is_superuser=True
    )


def lock_out(client, address, forged=lambda guess: (), connected=PROXY):
    for guess in range(settings.AXES_FAILURE_LIMIT):
        where = address(guess) if callable(address) else address
        response = through_proxy(client, f"guess-{guess}", where, forged(guess), connected)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_behind_the_proxy_a_guesser_locks_out_only_themselves(settings, client, editor):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(client, GUESSER)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {GUESSER}
    assert through_proxy(client, "the-real-long-password", GUESSER).status_code == 429

    editors_browser = Client()
    response = through_proxy(editors_browser, "the-real-long-password", EDITOR)
    assert response.status_code == 302
    assert editors_browser.get("/admin/").status_code == 200


def test_a_forged_forwarded_address_neither_dodges_the_lock_nor_frames_another(
    settings, client, editor
):
    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(client, GUESSER, forged=lambda guess: [f"192.0.2.{guess}"])
    # Claiming to be the editor, or anyone new, changes nothing: nginx still appends the
    # guesser's own address, and that is the one counted.
    for forged in ([EDITOR], ["192.0.2.200"], ["garbage", "10.0.0.1"]):
        response = through_proxy(client, "the-real-long-password", GUESSER, forged)
        assert response.status_code == 429
    assert through_proxy(Client(), "the-real-long-password", EDITOR).status_code == 302


def test_behind_a_load_balancer_and_nginx_the_balancers_entry_is_the_client(
    settings, client, editor
):
    """Two proxies: X-Forwarded-For ends with the client (balancer), then the balancer (nginx)."""
    settings.TRUSTED_PROXY_COUNT = 2
    balancer = "10.0.0.5"
    lock_out(client, balancer, forged=lambda guess: [f"192.0.2.{guess}", GUESSER])
    response = through_proxy(Client(), "the-real-long-password", balancer, [EDITOR])
    assert response.status_code == 302


def test_without_a_proxy_the_forwarded_header_is_the_clients_own_and_ignored(client, editor):
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default: gunicorn faces the clients
    lock_out(client, GUESSER, forged=lambda guess: [f"192.0.2.{guess}"])
    assert through_proxy(client, "the-real-long-password", EDITOR).status_code == 429


@pytest.mark.parametrize(
    "guesser, editors_address",
    [
        (lambda guess: f"{GUESSER}:{5000 + guess}", f"{EDITOR}:443"),
        (lambda guess: f"[2001:db8:66::1]:{5000 + guess}", "[2001:db8:77::1]:443"),
        (lambda guess: "[2001:db8:66::1]", "[2001:db8:77::1]"),
    ],
    ids=["IPv4 with a port", "IPv6 with a port", "IPv6 in brackets"],
)
def test_a_proxy_that_appends_ports_still_separates_clients(
    settings, client, editor, guesser, editors_address
):
    """A balancer writing "address:port" must not put every client behind one lockout."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(client, guesser)
    assert not AccessAttempt.objects.filter(ip_address=PROXY).exists()
    assert through_proxy(Client(), "the-real-long-password", editors_address).status_code == 302


def test_an_entry_that_is_no_address_is_logged(settings, client, editor, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level("WARNING", logger="newsroom.proxies"):
        through_proxy(client, "a-typo", "unknown")
    assert "X-Forwarded-For entry 'unknown' is not an address" in caplog.text
    assert "the proxy's address 127.0.0.1" in caplog.text


def test_a_client_that_bypasses_the_proxy_cannot_choose_its_address(settings, client, editor):
    """X-Forwarded-For from a connection that is not one of TRUSTED_PROXIES is the client's."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    assert settings.TRUSTED_PROXIES == ["127.0.0.1"]  # as gunicorn's forwarded_allow_ips
    lock_out(client, lambda guess: f"192.0.2.{guess}", connected=GUESSER)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {GUESSER}
    response = through_proxy(client, "the-real-long-password", EDITOR, connected=GUESSER)
    assert response.status_code == 429
    assert through_proxy(Client(), "the-real-long-password", EDITOR).status_code == 302


def test_trusted_proxies_may_be_networks(settings, client, editor):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    lock_out(client, GUESSER, connected="10.1.2.3")
    assert (
        through_proxy(Client(), "the-real-long-password", EDITOR, connected="10.4.5.6").status_code
        == 302
    )


def test_an_ipv4_client_written_as_ipv6_is_the_same_client(settings, client, editor):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(client, lambda guess: f"::ffff:{GUESSER}" if guess % 2 else GUESSER)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {GUESSER}


def test_an_ipv6_client_is_counted_by_its_slash_64(settings, client, editor):
    """One host holds a whole /64: a new address per guess must not mean new guesses."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(client, lambda guess: f"2001:db8:66:1:{guess:x}:2:3:4")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"2001:db8:66:1::"}
    # Another /64 (another home, another server) is another client.
    assert through_proxy(Client(), "the-real-long-password", "2001:db8:66:2::1").status_code == 302


def test_without_a_proxy_an_ipv6_client_is_counted_by_its_slash_64(client, editor):
    for guess in range(settings.AXES_FAILURE_LIMIT):
        response = attempt_from(client, f"guess-{guess}", f"2001:db8:66:1::{guess + 1}")
    assert response.status_code == 429
    assert attempt_from(Client(), "the-real-long-password", "2001:db8:66:2::1").status_code == 302


def attempt_from(client, password, address):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_through_gunicorn_the_lock_keys_on_the_address_the_proxy_appended(tmp_path):
    """The real server passes X-Forwarded-For on as nginx wrote it."""
    import http.client
    import os
    import re
    import subprocess
    import sys
    import time
    from pathlib import Path
    from urllib.parse import urlencode

    from tests.servers import free_port

    root = Path(__file__).resolve().parent.parent
    port = free_port()
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CACHE_URL": "locmem://",
        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1",
        "TRUSTED_PROXY_COUNT": "1", "LOGIN_FAILURE_LIMIT": "3",
    }  # fmt: skip
    env.pop("NEWSROOM_ENV", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=root, env=env, check=True, timeout=120)
    create = (
        "from django.contrib.auth.models import User; User.objects.create_user("
        "'editor', password='the-real-long-password', is_staff=True, is_superuser=True)"
    )
    subprocess.run([*manage, "shell", "-c", create], cwd=root, env=env, check=True, timeout=60)

    def login(address, password, forged="192.0.2.1"):
        def request(method, body=None, headers=()):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(method, "/admin/login/", body=body, headers=dict(headers))
            response = connection.getresponse()
            return response.status, response.getheader("Set-Cookie") or "", response.read()

        forwarded = {"X-Forwarded-For": f"{forged}, {address}"}
        _, cookie, page = request("GET", headers=forwarded)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"csrfmiddlewaretoken": token.decode(), "username": "editor",
                          "password": password, "next": "/admin/"})  # fmt: skip
        headers = {**forwarded, "Cookie": cookie.split(";", 1)[0],
                   "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
        return request("POST", body, headers)[0]

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=root, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=5).request("GET", "/healthz")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        statuses = [login(GUESSER, f"guess-{n}", forged=f"192.0.2.{n}") for n in range(3)]
        assert statuses == [200, 200, 429]
        assert login(GUESSER, "the-real-long-password", forged=EDITOR) == 429
        assert login(EDITOR, "the-real-long-password") == 302
    finally:
        server.terminate()
        server.wait(timeout=35)
