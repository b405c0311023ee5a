"""
When the database or the cache goes away: readers get cached pages, or a readable 503 page
within seconds; the site recovers by itself when the part comes back; and an edit saved
while the cache was away is never hidden behind a page the cache kept.

The outages are real: a PostgreSQL server of the test's own that it stops and starts, a
port that accepts connections and never answers, a locked SQLite file, and a Redis that
is shut down in the middle of a save and started again with its data.
"""

import contextlib
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEMO_ARTICLE = "/articles/2025/03/18/uk-eu-talks-ukraine-defence-kallas-london/"
DEMO_TITLE = "UK and EU join forces on Ukraine"
# What settings.py reads and these tests set for themselves.
OWN_SETTINGS = {"NEWSROOM_ENV", "DATABASE_URL", "DATABASE_POOL", "DATABASE_CONN_MAX_AGE",
                "DATABASE_REPLICA_URL", "CACHE_URL", "DEBUG", "PENDING_RENEWALS_FILE",
                "PAGE_CACHE_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # fmt: skip


def site_env(folder, **settings):
    env = {k: v for k, v in os.environ.items() if k not in OWN_SETTINGS}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(folder / "media"),
        CACHE_URL=f"file://{folder / 'cache'}",
        PENDING_RENEWALS_FILE=str(folder / "var" / "pending-renewals"),
        PAGE_CACHE_SECONDS="60",
    )
    env.update(settings)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)  # fmt: skip


def get(base, path, method="GET"):
    """(status, headers, body, seconds taken) of one request, as a browser would see it."""
    host, port = base.removeprefix("http://").split(":")
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    return response.status, dict(response.getheaders()), body, time.monotonic() - started


@contextmanager
def gunicorn(env, folder, workers=2, ready="/readyz"):
    base = f"http://127.0.0.1:{free_port()}"
    log = folder / "gunicorn.log"
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py"], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=log.open("w"), env={**env, "GUNICORN_BIND": base.removeprefix("http://"),
                                   "GUNICORN_WORKERS": str(workers)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(base, ready)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not become ready:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()


def django_client(env, requests):
    """Answers to ``requests`` ([method, path, data]) from Django's test client in a process
    started with ``env``: [status, Retry-After, body, seconds taken] for each."""
    code = f"""
import json, time, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
answers = []
for method, path, data in {requests!r}:
    started = time.monotonic()
    response = getattr(client, method)(path, data)
    answers.append([response.status_code, response.get("Retry-After"),
                    response.content.decode(), time.monotonic() - started])
print(json.dumps(answers))
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers: a server hung, or cut off."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(100)  # the kernel completes the handshakes; nobody ever reads
        yield sock.getsockname()[1]


# The database ------------------------------------------------------------------------------


class OwnPostgres:
    """A PostgreSQL server of this test's own, in a temporary folder, to stop and start."""

    def __init__(self, bin_dir):
        self.bin_dir = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.as_owner = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.folder, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/newsroom"

    def run(self, program, *args):
        subprocess.run([*self.as_owner, f"{self.bin_dir}/{program}", *args], check=True,
                       capture_output=True, timeout=60)  # fmt: skip

    def create(self):
        self.run("initdb", "-D", f"{self.folder}/data", "-A", "trust", "-U", "postgres",
                 "-E", "UTF8", "--no-sync")  # fmt: skip
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "newsroom")

    def start(self):
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        self.run("pg_ctl", "-D", f"{self.folder}/data", "-l", f"{self.folder}/server.log",
                 "-w", "-o", options, "start")  # fmt: skip

    def stop(self):
        self.run("pg_ctl", "-D", f"{self.folder}/data", "-m", "fast", "-w", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory):
    """A PostgreSQL server with the demo site's database, that a test may stop."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    initdb = found[-1] if found else shutil.which("initdb")
    if initdb is None:
        pytest.skip("PostgreSQL's initdb is not installed (apt-get install postgresql; CI does)")
    server = OwnPostgres(os.path.dirname(initdb))
    try:
        server.create()
        env = site_env(tmp_path_factory.mktemp("pg-site"), DATABASE_URL=server.url)
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        yield server
    finally:
        server.remove()


@pytest.mark.parametrize("connections", ["pool", "persistent"])
def test_readers_get_a_503_page_while_the_database_is_away_and_the_site_recovers(
    own_postgres, tmp_path, connections
):
    """Cached pages are still served; others answer 503 "temporarily unavailable" within
    seconds, as /readyz does; and once the database is back, every worker serves pages
    again by itself, none of them holding on to a connection broken by the outage."""
    kept = {"pool": {"DATABASE_POOL": "true"}, "persistent": {"DATABASE_CONN_MAX_AGE": "600"}}
    env = site_env(tmp_path, DATABASE_URL=own_postgres.url, **kept[connections])
    with gunicorn(env, tmp_path) as base:
        for _ in range(8):  # both workers store and serve the page; each opens connections
            assert get(base, DEMO_ARTICLE)[0] == 200
            assert get(base, "/tags/")[0] == 200
        assert get(base, DEMO_ARTICLE)[1]["X-Cache"] == "hit"

        own_postgres.stop()
        try:
            for _ in range(4):
                status, headers, body, took = get(base, DEMO_ARTICLE)
                assert (status, headers["X-Cache"]) == (200, "hit") and DEMO_TITLE in body
            for query in range(2):  # pages not in the cache
                status, headers, body, took = get(base, f"/?page-not-cached={query}")
                assert status == 503, body[:500]
                assert "Temporarily unavailable" in body and "Traceback" not in body
                assert int(headers["Retry-After"]) > 0 and headers["Cache-Control"] == "no-store"
                assert f"try again in {headers['Retry-After']} seconds" in body  # as it says
                assert took < 5, f"the 503 page took {took:.1f} s"
            status, _, body, took = get(base, "/readyz")
            assert status == 503 and json.loads(body)["checks"]["database:default"] == "unreachable"
            assert took < 3.5, f"/readyz took {took:.1f} s to say 503"
        finally:
            own_postgres.start()

        deadline = time.monotonic() + 15
        while get(base, "/?after-the-outage")[0] != 200:
            assert time.monotonic() < deadline, "the site did not recover by itself"
            time.sleep(0.5)
        for query in range(8):  # every worker, every connection: none broken
            status, _, body, _ = get(base, f"/?after-the-outage={query}")
            assert status == 200, body[:500]
        assert get(base, "/readyz")[0] == 200

        # A restart while no reader asked for anything: the connections each worker kept
        # are broken, and are replaced before a reader's request uses them.
        own_postgres.stop()
        own_postgres.start()
        for query in range(8):
            status, _, body, _ = get(base, f"/?after-a-restart={query}")
            assert status == 200, body[:500]


class Relay:
    """A TCP relay in front of a server that can stop passing anything on, both ways,
    while keeping every connection open: a server hung, or a network that drops packets,
    as seen by a client whose connection was made before."""

    def __init__(self, port):
        self.port = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = self.listener.getsockname()
        self.frozen = threading.Event()
        self.sockets = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        with contextlib.suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                upstream = socket.create_connection(("127.0.0.1", self.port))
                self.sockets += [client, upstream]
                threading.Thread(target=self.pipe, args=(client, upstream), daemon=True).start()
                threading.Thread(target=self.pipe, args=(upstream, client), daemon=True).start()

    def pipe(self, source, target):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def close(self):
        self.frozen.clear()
        for sock in [self.listener, *self.sockets]:
            sock.close()


@pytest.mark.parametrize("connections", ["pool", "persistent"])
def test_a_database_that_stops_answering_on_open_connections_costs_readers_seconds(
    own_postgres, tmp_path, connections
):
    """The database stops answering after the workers' connections are made (the test
    query before a request reuses one would otherwise wait for ever): readers get the 503
    page within seconds, and pages again by themselves once it answers."""
    relay = Relay(own_postgres.port)
    url = f"postgres://postgres@127.0.0.1:{relay.address[1]}/newsroom"
    kept = {"pool": {"DATABASE_POOL": "true"}, "persistent": {"DATABASE_CONN_MAX_AGE": "600"}}
    env = site_env(tmp_path, DATABASE_URL=url, **kept[connections])
    try:
        with gunicorn(env, tmp_path) as base:
            for query in range(6):  # both workers open (and keep) connections
                assert get(base, f"/?before={query}")[0] == 200

            relay.frozen.set()
            for query in range(4):
                status, _, body, took = get(base, f"/?frozen={query}")
                assert status == 503 and "Temporarily unavailable" in body, body[:500]
                assert took < 5, f"the 503 page took {took:.1f} s"
            status, _, body, took = get(base, "/readyz")
            # A frozen database either fails the check (the pool's or the connection's own
            # timeout) or outlasts the deadline: which comes first depends on the machine.
            checked = json.loads(body)["checks"]["database:default"]
            assert status == 503 and checked in ("unreachable", "no answer in time"), checked
            assert took < 3.5, f"/readyz took {took:.1f} s to say 503"

            relay.frozen.clear()
            deadline = time.monotonic() + 15
            while get(base, "/?after")[0] != 200:
                assert time.monotonic() < deadline, "the site did not recover by itself"
                time.sleep(0.5)
            for query in range(6):
                status, _, body, _ = get(base, f"/?after={query}")
                assert status == 200, body[:500]
    finally:
        relay.close()


@pytest.mark.parametrize("connections", ["direct", "pool"])
def test_a_database_that_does_not_answer_costs_readers_seconds_not_a_hang(
    silent_port, tmp_path, connections
):
    """A PostgreSQL server that accepts connections but never answers (hung, or cut off
    mid-way): connecting gives up after a short timeout, and readers get the 503 page."""
    env = site_env(
        tmp_path,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent_port}/newsroom",
        DATABASE_POOL="true" if connections == "pool" else "false",
    )
    requests = [["get", "/", {}], ["get", "/api/articles/", {}], ["get", "/readyz", {}]]
    page, api, ready = django_client(env, requests)
    status, retry_after, body, took = page
    assert status == 503 and "Temporarily unavailable" in body and int(retry_after) > 0
    assert took < 5, f"the 503 page took {took:.1f} s"
    status, retry_after, body, took = api  # API clients get the API's own shape of error
    assert status == 503 and int(retry_after) > 0
    assert json.loads(body)["detail"].startswith("The service is temporarily unavailable")
    assert took < 5
    status, _, body, took = ready
    assert status == 503 and json.loads(body)["checks"]["database:default"] == "unreachable"
    assert took < 3.5, f"/readyz took {took:.1f} s to say 503"


def test_readyz_answers_quickly_with_the_primary_and_the_replica_both_away(silent_port, tmp_path):
    """Both databases hang: /readyz checks them at once, so a load balancer hears "not
    ready" within its deadline, not after one timeout for each database."""
    url = f"postgres://postgres@127.0.0.1:{silent_port}/newsroom"
    env = site_env(tmp_path, DATABASE_URL=url, DATABASE_REPLICA_URL=url)
    [(status, _, body, took)] = django_client(env, [["get", "/readyz", {}]])
    assert status == 503
    checks = json.loads(body)["checks"]
    assert checks["database:default"] == checks["database:replica"] == "unreachable"
    assert took < 3, f"/readyz took {took:.1f} s to say 503"


def test_an_sqlite_database_that_cannot_be_opened_answers_503(tmp_path):
    env = site_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}")
    [(status, retry_after, body, _)] = django_client(env, [["get", "/", {}]])
    assert status == 503 and int(retry_after) > 0
    assert "Temporarily unavailable" in body and "Something went wrong" not in body


def test_an_unmigrated_sqlite_database_is_a_fault_not_an_outage(tmp_path):
    """A missing table is a broken deployment: the 500 page, which monitoring counts, not
    a 503 that tells everyone to come back later."""
    env = site_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")  # no migrate
    [(status, retry_after, body, _)] = django_client(env, [["get", "/", {}]])
    assert status == 500 and retry_after is None
    assert "Something went wrong" in body and "Temporarily unavailable" not in body


def test_an_sqlite_database_locked_past_its_timeout_answers_503(tmp_path):
    """Another process holds the write lock longer than the busy timeout: a login (which
    records the attempt) answers 503, and readers meanwhile still read (WAL)."""
    path = tmp_path / "db.sqlite3"
    env = site_env(tmp_path, DATABASE_URL=f"sqlite:///{path}?timeout=1")
    manage(env, "migrate", "-v0")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # a long write elsewhere: the lock is not given up
    try:
        login = ["post", "/admin/login/", {"username": "desk", "password": "not-this-one"}]
        reading, writing = django_client(env, [["get", "/", {}], login])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert reading[0] == 200
    status, retry_after, body, took = writing
    assert status == 503 and int(retry_after) > 0 and "Temporarily unavailable" in body
    assert took < 5


# The cache -------------------------------------------------------------------------------


class OwnRedis:
    """A redis-server of this test's own that keeps its data across a restart, as a Redis
    with persistence (or one cut off by the network, then reachable again) does."""

    def __init__(self, folder):
        self.binary = shutil.which("redis-server")
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        import redis

        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder), "--dbfilename", "dump.rdb"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while True:
            try:
                redis.Redis.from_url(self.url, socket_timeout=1).ping()
                return
            except redis.ConnectionError:
                assert self.process.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)

    def stop(self):
        """Shut down, writing the data to disk first: started again, it has every key."""
        import redis

        with contextlib.suppress(redis.ConnectionError):  # it closes the connection as it goes
            redis.Redis.from_url(self.url, socket_timeout=5).shutdown(save=True)
        self.process.wait(timeout=10)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


def test_an_edit_saved_while_the_cache_was_away_is_never_hidden_by_a_page_it_kept(
    own_redis, tmp_path
):
    """Redis goes down, an article is edited from another process (its renewal cannot be
    sent), Redis comes back with the pages it held: no worker serves the old page, though
    none of them saw the failed renewal, and pages are cached again afterwards."""
    env = site_env(
        tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CACHE_URL=own_redis.url
    )
    manage(env, "migrate", "-v0")
    manage(env, "load_demo")
    pages = [DEMO_ARTICLE, "/", "/tags/ukraine/"]
    with gunicorn(env, tmp_path) as base:
        for url in pages:
            served = [get(base, url) for _ in range(6)]  # both workers store and serve it
            assert all(status == 200 and DEMO_TITLE in body for status, _, body, _ in served)
            assert served[-1][1]["X-Cache"] == "hit"

        own_redis.stop()
        manage(
            env, "shell", "-c",
            "from articles.models import Article; a = Article.objects.get(live=None); "
            "a.title = 'Headline corrected while the cache was away'; a.save()",
        )  # fmt: skip
        for url in pages:  # meanwhile: live pages, the edit in them
            status, _, body, took = get(base, url)
            assert status == 200 and "corrected while the cache was away" in body, url
            assert took < 2, f"{url} took {took:.1f} s with the cache down"

        own_redis.start()
        for url in pages:
            for _ in range(6):
                status, _, body, _ = get(base, url)
                assert status == 200, url
                assert DEMO_TITLE not in body, f"{url}: the page from before the edit"
                assert "corrected while the cache was away" in body, url
        # Once the workers ask the cache again (a second after their last failure), the
        # renewal is sent, once: pages are kept (and served) again.
        time.sleep(1.5)
        served = [get(base, DEMO_ARTICLE) for _ in range(4)]
        assert all("corrected while the cache was away" in body for _, _, body, _ in served)
        assert served[-1][1]["X-Cache"] == "hit"
    assert Path(env["PENDING_RENEWALS_FILE"]).read_text() == ""


def test_a_hung_cache_costs_a_reader_under_a_second(silent_port, tmp_path):
    """Redis that accepts connections and never answers: the page is served live after one
    short timeout, not one per list on the page, and /readyz says 503 as quickly."""
    path = tmp_path / "db.sqlite3"
    env = site_env(
        tmp_path, DATABASE_URL=f"sqlite:///{path}", CACHE_URL=f"redis://127.0.0.1:{silent_port}/0"
    )
    manage(env, "migrate", "-v0")
    manage(env, "load_demo")
    page, ready = django_client(env, [["get", "/", {}], ["get", "/readyz", {}]])
    status, _, body, took = page
    assert status == 200 and DEMO_TITLE in body
    assert took < 1.5, f"the front page took {took:.1f} s"
    status, _, body, took = ready
    assert status == 503 and json.loads(body)["checks"]["cache"] == "unreachable"
    assert took < 2.5, f"/readyz took {took:.1f} s to say 503"


def test_a_hung_cache_with_renewals_pending_holds_no_worker_up(silent_port, tmp_path):
    """Redis accepts connections and never answers, and a renewal waits to be sent: the
    workers do not queue up behind one another to try, and every reader of a burst gets
    the page (live) within about one cache timeout."""
    env = site_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_URL=f"redis://127.0.0.1:{silent_port}/0",
    )
    manage(env, "migrate", "-v0")
    manage(env, "load_demo")
    pending = Path(env["PENDING_RENEWALS_FILE"])

    def burst(count):
        with ThreadPoolExecutor(count) as pool:
            return list(pool.map(lambda n: get(base, f"{DEMO_ARTICLE}?reader={n}"), range(count)))

    with gunicorn(env, tmp_path, workers=3, ready="/healthz") as base:
        burst(6)  # every worker has rendered the page once
        time.sleep(1.5)
        pending.parent.mkdir(exist_ok=True)
        pending.write_text("article-1\n")
        answers = burst(6)
    assert all(status == 200 and DEMO_TITLE in body for status, _, body, _ in answers)
    waited = sorted(round(took, 2) for _, _, _, took in answers)
    assert waited[-1] < 1.2, f"readers waited {waited} s"
    assert pending.read_text() == "article-1\n"  # still waiting for the cache


def test_a_pending_renewals_file_that_cannot_be_read_does_not_switch_the_page_cache_off(
    tmp_path,
):
    """A problem with the file (here: a folder in its place) is not a cache outage: pages
    are still cached, and edits still show at once."""
    env = site_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    Path(env["PENDING_RENEWALS_FILE"]).mkdir(parents=True)
    manage(env, "migrate", "-v0")
    manage(env, "load_demo")
    with gunicorn(env, tmp_path) as base:
        served = [get(base, DEMO_ARTICLE) for _ in range(6)]
        assert all(status == 200 and DEMO_TITLE in body for status, _, body, _ in served)
        # Each worker renews every page once, the first time it finds the file unreadable
        # (which worker answers is the server's choice): then the page comes from the cache.
        assert any(get(base, DEMO_ARTICLE)[1]["X-Cache"] == "hit" for _ in range(20))
        manage(
            env, "shell", "-c",
            "from articles.models import Article; a = Article.objects.get(live=None); "
            "a.title = 'Headline corrected'; a.save()",
        )  # fmt: skip
        for _ in range(4):
            status, _, body, _ = get(base, DEMO_ARTICLE)
            assert status == 200 and "Headline corrected" in body
        assert get(base, DEMO_ARTICLE)[1]["X-Cache"] == "hit"
