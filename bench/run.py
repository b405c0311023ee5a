"""
The reader-side benchmark: build (or reuse) a synthetic archive, serve it with gunicorn
(2 workers, production settings), drive it with wrk from a second process on loopback,
and write a Markdown table.

    python bench/run.py [--articles 100000] [--duration 8] [--out bench/results.md]

DATABASE_URL chooses the database (a PostgreSQL URL, or by default a SQLite file under
bench/data/ kept between runs). Every page is measured uncached (page cache off) and
cached; a static file of the same size, served by the same gunicorn and whitenoise, is
the reference limit.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def base_env(database_url, cache_dir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_ENV": "production",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "CACHE_URL": os.environ.get("CACHE_URL", f"file://{cache_dir}"),
        "SITE_URL": "http://127.0.0.1",
        "SINGLE_MACHINE": "true",  # one machine: a file cache (unless CACHE_URL says otherwise)
    }
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
        capture_output=capture,
    )  # fmt: skip
    return result.stdout if capture else None


def article_count(env):
    code = "from articles.models import Article; print(Article.objects.count())"
    return int(manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1])


def sample_paths(env):
    """Real addresses from the archive: a busy article, tag, event and speaker."""
    code = """
import json
from django.db.models import Count
from articles.models import Article, Event, Person
from articles.querysets import public_tags
article = Article.objects.published().order_by("-published_at")[20]
tags = list(public_tags().annotate(n=Count("articles_taggedarticle_items")).order_by("-n")[:2])
event = Event.objects.public().annotate(n=Count("article_links")).order_by("-n")[0]
person = Person.objects.public().annotate(n=Count("quotes")).order_by("-n")[0]
print(json.dumps({
    "front page": "/",
    "article": article.get_absolute_url(),
    "tag page": f"/tags/{tags[0].slug}/",
    "two-tag page": f"/tags/{tags[0].slug}+{tags[1].slug}/",
    "event page": event.get_absolute_url(),
    "speaker page": person.get_absolute_url(),
    "search": "/search/?q=summit+budget",
    "latest feed": "/feeds/latest/",
    "news sitemap": "/sitemap-news.xml",
}))
"""
    return json.loads(manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, port):
    # The server's log (production writes a JSON line per request) goes to a file: a
    # pipe nobody reads would fill up and stall the workers.
    log = ROOT / "bench" / "data" / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [GUNICORN, "newsroom.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "/dev/null", "--error-logfile", "-"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file, text=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn stopped:\n" + log.read_text()) from None
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start in time")


def worker_peak_memory_mb(server):
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
    peaks = []
    for pid in children.stdout.split():
        status = Path(f"/proc/{pid}/status").read_text()
        if match := re.search(r"VmHWM:\s+(\d+) kB", status):
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks) if peaks else float("nan")


def stop_server(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def wrk(url, duration, connections):
    """(requests per second, p50 ms, p99 ms) from wrk."""
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    ).stdout  # fmt: skip

    def latency(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        raise SystemExit(f"{url} answered errors under load:\n{output}")
    return rps, latency("50"), latency("99")


def measure(env, paths, duration, connections, reference):
    port = free_port()
    server = start_server(env, port)
    try:
        results = {}
        for name, path in {**paths, "static file (reference)": reference}.items():
            url = f"http://127.0.0.1:{port}{path}"
            urllib.request.urlopen(url, timeout=30).read()  # warm up
            results[name] = wrk(url, duration, connections)
        return results, worker_peak_memory_mb(server)
    finally:
        stop_server(server)


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per page")
    parser.add_argument(
        "--connections", type=int, default=2, help="as many as workers: latency without queueing"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    data = ROOT / "bench" / "data"
    data.mkdir(parents=True, exist_ok=True)
    database_url = (
        os.environ.get("DATABASE_URL") or f"sqlite:///{data / f'bench-{args.articles}.sqlite3'}"
    )
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    env = base_env(database_url, data / f"cache-{engine.lower()}")
    manage(env, "migrate", "-v0")
    existing = article_count(env)
    if existing < args.articles:
        started = time.monotonic()
        seed_env = {**env, "NEWSROOM_ENV": "development"}  # seeding refuses production
        manage(seed_env, "seed_bench", "--articles", str(args.articles - existing))
        print(f"seeded in {time.monotonic() - started:.0f} s", file=sys.stderr)
    manage(env, "collectstatic", "--noinput", "-v0")
    paths = sample_paths(env)

    counts = json.loads(
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "queries.py"), json.dumps(paths)],
            cwd=ROOT, env={**env, "PAGE_CACHE_SECONDS": "0"}, capture_output=True, text=True,
            check=True,
        ).stdout.strip().splitlines()[-1]
    )  # fmt: skip
    reference = write_reference(env, paths["article"])

    uncached, uncached_memory = measure(
        {**env, "PAGE_CACHE_SECONDS": "0"}, paths, args.duration, args.connections, reference
    )
    cached, cached_memory = measure(
        {**env, "PAGE_CACHE_SECONDS": "60"}, paths, args.duration, args.connections, reference
    )
    write_table(args, engine, paths, counts, uncached, cached,
                max(uncached_memory, cached_memory))  # fmt: skip


def write_reference(env, article_path):
    """A static file as large as the article page, for whitenoise to serve."""
    code = (
        "from django.test import Client; import sys; "
        f"sys.stdout.write(str(len(Client(HTTP_HOST='127.0.0.1').get('{article_path}').content)))"
    )
    size = int(manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1])
    static_root = ROOT / "staticfiles" / "bench"
    static_root.mkdir(parents=True, exist_ok=True)
    (static_root / "reference.html").write_text("<!doctype html>" + "x" * (size - 15))
    return "/static/bench/reference.html"


def write_table(args, engine, paths, counts, uncached, cached, memory):
    static_cached = cached["static file (reference)"][0]
    lines = [
        f"## {engine}, {args.articles:,} articles",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores "
        f"({platform.processor() or platform.machine()}); gunicorn with 2 sync workers, "
        f"wrk with {args.connections} connections for {args.duration} s per page, on loopback. "
        f"Peak memory per worker: {memory:.0f} MB.",
        "",
        "| page | queries | uncached req/s | uncached p50 | uncached p99 | cached req/s "
        "| cached p50 | cached p99 | cached vs static |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in [*paths, "static file (reference)"]:
        u_rps, u50, u99 = uncached[name]
        c_rps, c50, c99 = cached[name]
        queries = counts.get(name, {}).get("queries", "–")
        lines.append(
            f"| {name} | {queries} | {u_rps:,.0f} | {u50:.1f} ms | {u99:.1f} ms | {c_rps:,.0f} "
            f"| {c50:.1f} ms | {c99:.1f} ms | {c_rps / static_cached:.0%} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    out = Path(args.out)
    previous = out.read_text() if out.exists() else "# Benchmark results\n\n"
    heading = lines[0]
    kept = re.sub(rf"{re.escape(heading)}\n.*?(?=\n## |\Z)", "", previous, flags=re.S).rstrip()
    kept = re.sub(r"\n{3,}", "\n\n", kept)  # no gap where the section was
    out.write_text(kept + "\n\n" + text)


if __name__ == "__main__":
    main()
