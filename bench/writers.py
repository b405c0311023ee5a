"""
Writers under load: readers fetching public pages while two editors save articles
through the real admin form, against gunicorn, for a fixed time. Then the database is
checked: every save the server acknowledged must be there.

    python bench/writers.py [--seconds 60] [--readers 4] [--workers 3] [--out FILE]

DATABASE_URL chooses the database (a PostgreSQL URL, or by default a fresh SQLite file
under bench/data/). The server runs with production settings. The run fails (exit
status 1) on any 5xx, any lost save, or any “database is locked” in the server's log.
"""

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
EDITOR_PASSWORD = "writers-bench-" + "p" * 20
WARM_UP_SECONDS = 5


# A browser, as far as the admin needs one


class Browser:
    """One keep-alive connection with its cookies: a reader, or an editor logged in."""

    def __init__(self, port, https=False):
        self.port, self.https = port, https
        self.cookies = {}
        self.connection = None

    def request(self, method, path, fields=None):
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.https:  # behind a TLS proxy, as in production
            headers["X-Forwarded-Proto"] = "https"
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            scheme = "https" if self.https else "http"
            headers["Origin"] = f"{scheme}://127.0.0.1:{self.port}"
            headers["Referer"] = f"{scheme}://127.0.0.1:{self.port}{path}"
        for attempt in range(2):
            if self.connection is None:
                self.connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (ConnectionError, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, content.decode("utf-8", "replace")

    def login(self, admin_url, username, password):
        _, _, page = self.request("GET", f"{admin_url}login/")
        form = read_form(page, "login-form")
        form.update(username=username, password=password)
        status, _, _ = self.request("POST", f"{admin_url}login/?next={admin_url}", form)
        if status != 302:
            raise SystemExit(f"{username} could not log in (HTTP {status})")


class FormReader(HTMLParser):
    """The fields one form would submit, as a browser would: names to lists of values."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields, self.select, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in ("submit", "file", "button", "image", "reset"):
            checkable = kind in ("checkbox", "radio")
            if checkable and "checked" not in attrs:
                return
            value = attrs.get("value", "on" if checkable else "")
            self.fields.setdefault(attrs["name"], []).append(value)
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields.setdefault(self.textarea, []).append("")
        elif tag == "select":
            self.select = attrs["name"]
            self.fields.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            values = self.fields[self.textarea]
            # The first newline after <textarea> is not part of the value.
            values[-1] += data if values[-1] else data.removeprefix("\n")


def read_form(page, form_id):
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.fields


# The load


class Tally:
    """Every response, every acknowledged save, every failure, from all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.latencies = {"read": [], "form": [], "save": []}
        self.acknowledged = {}  # article id -> standfirsts the server accepted, in order
        self.refused = []
        self.errors = []

    def response(self, kind, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.latencies[kind].append(seconds)


def read_pages(port, https, paths, stop_at, tally):
    browser = Browser(port, https)
    n = 0
    while time.monotonic() < stop_at:
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            status, _, _ = browser.request("GET", path)
        except OSError as error:
            tally.errors.append(f"reader {path}: {error!r}")
            continue
        tally.response("read", status, time.monotonic() - started)


def save_repeatedly(browser, admin_url, username, article_id, stop_at, tally):
    """Open the article's change form, change the standfirst, save; again and again."""
    url = f"{admin_url}articles/article/{article_id}/change/"
    tally.acknowledged.setdefault(article_id, [])
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        try:
            started = time.monotonic()
            status, _, page = browser.request("GET", url)
            tally.response("form", status, time.monotonic() - started)
            if status != 200:
                continue
            form = read_form(page, "article_form")
            standfirst = f"Standfirst saved by {username}, edit {n}."
            form["standfirst"] = [standfirst]
            started = time.monotonic()
            status, _, page = browser.request("POST", url, form)
        except OSError as error:
            tally.errors.append(f"{username} save {n}: {error!r}")
            continue
        tally.response("save", status, time.monotonic() - started)
        if status == 302:
            with tally.lock:
                tally.acknowledged[article_id].append(standfirst)
        elif status < 500:
            errors = re.findall(r'class="errorlist[^"]*">(.*?)</ul>', page, re.S)
            tally.refused.append(f"{username} save {n}: HTTP {status} {errors[:1]}")


def run_load(port, paths, editors, seconds, readers, admin_url="/admin/", https=False):
    """``editors``: (username, article id) pairs. Returns the Tally."""
    tally = Tally()
    # Each worker's first requests load the code and templates: seconds on a busy
    # machine, and not what a newsroom sees after its first minute. Not counted, but a
    # 5xx while warming up is still a failure.
    warm = Tally()
    warm_until = time.monotonic() + WARM_UP_SECONDS
    warmers = [
        threading.Thread(target=read_pages, args=(port, https, pages, warm_until, warm))
        for pages in [paths, [f"{admin_url}login/", *paths], paths[::-1]] * 2
    ]
    for thread in warmers:
        thread.start()
    logged_in = []
    for username, article_id in editors:  # logging in is slow by design: not timed either
        browser = Browser(port, https)
        browser.login(admin_url, username, EDITOR_PASSWORD)
        logged_in.append((browser, username, article_id))
    for thread in warmers:
        thread.join()
    tally.statuses.update({s: n for s, n in warm.statuses.items() if s >= 500})
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=read_pages, args=(port, https, paths[i:] + paths[:i], stop_at, tally)
        )
        for i in range(readers)
    ] + [
        threading.Thread(
            target=save_repeatedly, args=(browser, admin_url, name, pk, stop_at, tally)
        )
        for browser, name, pk in logged_in
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return tally


# The server and the database


def manage_shell(env, code):
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


PREPARE = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from articles.demo import load_demo
from articles.models import Article
from articles.roles import EDITORS
load_demo()
editors = []
for n in (1, 2):
    user, _ = get_user_model().objects.get_or_create(username=f"bench-editor-{n}")
    user.is_staff = True
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=EDITORS))
    article, created = Article.objects.get_or_create(
        slug=f"writers-bench-{n}",
        defaults={"title": f"Writers' benchmark article {n}", "standfirst": "Not saved yet.",
                  "body": "A paragraph.\\n\\n## A subheading\\n\\nAnother.", "created_by": user},
    )
    if created:
        article.tags.add("Ukraine")
        article.authors.add(user)
    editors.append((user.username, article.pk))
paths = ["/", "/articles/", "/tags/ukraine/", "/search/?q=summit", "/feeds/latest/"]
paths += [a.get_absolute_url() for a in Article.objects.published()[:20]]
print(json.dumps({"editors": editors, "paths": paths}))
"""

VERIFY = """
import json
from reversion.models import Version
from articles.models import Article
ids = IDS
print(json.dumps({
    str(a.pk): {"standfirst": a.standfirst, "edit_version": a.edit_version,
                "revisions": Version.objects.get_for_object(a).count()}
    for a in Article.objects.filter(pk__in=ids)
}))
"""


def prepare(env):
    """Two editors, an article each, and the public pages to read."""
    return manage_shell(env, PREPARE.replace("PASSWORD", repr(EDITOR_PASSWORD)))


def database_state(env, article_ids):
    return manage_shell(env, VERIFY.replace("IDS", repr(list(article_ids))))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, workers, log_path):
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 (closed by stop_server)
    server = subprocess.Popen(
        [GUNICORN, "newsroom.wsgi", "--preload", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--access-logfile", "/dev/null", "--error-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + Path(log_path).read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("gunicorn did not start in time")


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)
    server.log.close()


def check(tally, before, after, log_text):
    """The verdict: 5xx, lost saves and lock errors, each of which must be zero."""
    lost = []
    for article_id, values in tally.acknowledged.items():
        start, end = before[str(article_id)], after[str(article_id)]
        if values and end["standfirst"] != values[-1]:
            lost.append(f"article {article_id}: last acknowledged “{values[-1]}”, "
                        f"database has “{end['standfirst']}”")  # fmt: skip
        for field in ("edit_version", "revisions"):
            if end[field] - start[field] != len(values):
                lost.append(f"article {article_id}: {len(values)} saves acknowledged, "
                            f"{field} went up by {end[field] - start[field]}")  # fmt: skip
    return {
        "server_errors": sum(n for status, n in tally.statuses.items() if status >= 500),
        "lost": lost,
        "locked": log_text.count("database is locked"),
        "tracebacks": log_text.count("Traceback"),
    }


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(engine, args, tally, verdict):
    reads, saves = tally.latencies["read"], tally.latencies["save"]
    acknowledged = sum(len(v) for v in tally.acknowledged.values())
    return {
        "engine": engine,
        "seconds": args.seconds,
        "workers": args.workers,
        "readers": args.readers,
        "reads": len(reads),
        "reads_per_s": len(reads) / args.seconds,
        "read_p50_ms": 1000 * statistics.median(reads) if reads else 0,
        "read_p99_ms": 1000 * percentile(reads, 0.99),
        "saves": acknowledged,
        "saves_per_s": acknowledged / args.seconds,
        "save_p50_ms": 1000 * statistics.median(saves) if saves else 0,
        "save_p99_ms": 1000 * percentile(saves, 0.99),
        "refused": len(tally.refused),
        "client_errors": len(tally.errors),
        "5xx": verdict["server_errors"],
        "lost": len(verdict["lost"]),
        "locked": verdict["locked"],
    }


def markdown(row):
    return (
        f"| {row['engine']} | {row['seconds']} s | {row['workers']} | {row['readers']} + 2 "
        f"| {row['reads']} ({row['reads_per_s']:.0f}/s) | {row['read_p50_ms']:.0f} / "
        f"{row['read_p99_ms']:.0f} ms | {row['saves']} ({row['saves_per_s']:.1f}/s) "
        f"| {row['save_p50_ms']:.0f} / {row['save_p99_ms']:.0f} ms | {row['5xx']} "
        f"| {row['lost']} | {row['locked']} |"
    )


HEADER = (
    "| database | time | gunicorn workers | clients (readers + editors) | page reads "
    "| read p50 / p99 | acknowledged saves | save p50 / p99 | 5xx | lost saves "
    "| “database is locked” |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


DATA = ROOT / "bench" / "data"


def scratch_site(name):
    """
    A fresh site for a benchmark called ``name``, migrated: a new SQLite file (or the
    database of ``DATABASE_URL``), its own file cache and media folder under bench/data.
    Returns the engine's name, the serving environment and the set-up's environment.
    """
    data = DATA
    data.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        for old in data.glob(f"{name}.sqlite3*"):
            old.unlink()
        database_url = f"sqlite:///{data / f'{name}.sqlite3'}"
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": f"file://{data / f'{name}-cache-{engine.lower()}'}",
        "MEDIA_ROOT": str(data / f"{name}-media"),
    }
    setup_env = {**env, "NEWSROOM_ENV": "development"}
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=setup_env, check=True)
    return engine, env, setup_env


def production(env, name):
    """
    ``env`` with production settings, as one app server on loopback serves them: plain
    HTTP (so no secure-only cookies), a persistent database connection, quiet logs.
    """
    return {
        **env,
        "NEWSROOM_ENV": "production",
        "SECRET_KEY": f"{name}-bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SINGLE_MACHINE": "true",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "writers.md"))
    args = parser.parse_args()

    engine, env, setup_env = scratch_site("writers")
    plan = prepare(setup_env)
    editors = [tuple(editor) for editor in plan["editors"]]
    ids = [pk for _, pk in editors]
    before = database_state(setup_env, ids)

    server_env = production(env, "writers")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=server_env, check=True)  # fmt: skip
    log_path = DATA / f"writers-{engine.lower()}.log"
    server, port = start_server(server_env, args.workers, log_path)
    try:
        tally = run_load(port, plan["paths"], editors, args.seconds, args.readers, https=True)
    finally:
        stop_server(server)
    after = database_state(setup_env, ids)
    verdict = check(tally, before, after, log_path.read_text())
    row = summary(engine, args, tally, verdict)

    print(HEADER)
    print(markdown(row))
    for line in verdict["lost"] + tally.refused[:10] + tally.errors[:10]:
        print("  " + line)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}"
    if not Path(args.out).exists():
        Path(args.out).write_text(
            "# Writers under load (`make bench-writers`), one row per run\n\n" + HEADER + "\n"
        )
    with open(args.out, "a", encoding="utf-8") as out:
        out.write(f"\n<!-- {stamp}, {machine} -->\n{markdown(row)}\n")
    failed = row["5xx"] or row["lost"] or row["locked"] or not row["saves"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
