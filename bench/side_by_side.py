"""
Newsroom beside the Wagtail peer, cold: the peer's own side-by-side script, run once for
each of our public pages, so that every figure is measured in the same run as the
Wagtail page it is compared with.

    python bench/side_by_side.py --script PATH/side_by_side.sh [--rounds 3] [--duration 10s]

The script serves both sites with gunicorn (2 sync workers, SQLite, persistent
connections) and loads each page with wrk (-t2 -c16), in interleaved rounds. It compares
an article page of ours (``ART``) with Wagtail's seed article and its tag index; run with
ART set to each of our pages in turn, it measures each of them against the same two.
Ours is uncached (PAGE_CACHE_SECONDS=0) and cached; a static file is the cached
reference. Writes a Markdown table to bench/side_by_side.md.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import manage, sample_paths  # noqa: E402  (the same pages as make bench)

SEED_ARTICLE = "/articles/2025/03/18/uk-eu-talks-ukraine-defence-kallas-london/"
TARGET = 3.0  # times Wagtail's throughput, uncached


def run_script(script, art, args, work):
    """The script's summary for ``art`` as {row name: req/s}."""
    out = work / re.sub(r"\W+", "-", art).strip("-")
    env = {
        **os.environ,
        "ART": art,
        "ROUNDS": str(args.rounds),
        "DURATION": args.duration,
        "OUT": str(out),
        "CLONE": str(ROOT),
    }
    subprocess.run(["bash", script], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    summary = (out / "summary.md").read_text()
    return {
        name: float(rps.replace(",", ""))
        for name, rps in re.findall(r"^\| (\w+) \| ([\d,.]+) \|", summary, re.M)
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--script", required=True, help="the peer's side_by_side.sh")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--out", default=str(ROOT / "bench" / "side_by_side.md"))
    args = parser.parse_args()
    script = str(Path(args.script).resolve())

    database = Path(tempfile.gettempdir()) / "side-by-side" / "ours-2000.sqlite3"
    env = {
        **os.environ,
        "NEWSROOM_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if database.exists():  # the script seeds it once, and does not migrate it after
            manage(env, "migrate", "--noinput", "-v0")
        # The first run builds the peer and seeds our archive; then our pages are known.
        first = run_script(script, SEED_ARTICLE, args, work)
        paths = sample_paths(env)
        pages = {"article (seed)": (SEED_ARTICLE, first)}
        # Pages with a stylesheet: the script finds its static file in the page. (The feeds
        # are measured by make bench alone.)
        for name in ["tag page", "front page", "event page", "speaker page", "search"]:
            pages[name] = (paths[name], run_script(script, paths[name], args, work))
        feed = paths["latest feed"]
        pages["latest feed"] = (feed, feed_beside_peer(feed, database, args))
    write_table(args, pages)


PEER_DIR = Path(os.environ.get("PEER_DIR", Path(tempfile.gettempdir()) / "peer-wagtail"))


def feed_beside_peer(path, database, args):
    """
    A feed has no stylesheet for the script to find in it, so it is measured here as the
    script measures a page: ours uncached and Wagtail's tag index, each under gunicorn with
    2 sync workers (SQLite, persistent connections), wrk -t2 -c16, interleaved rounds,
    medians; ours with the same settings as the script's. Rows named as the script's.
    """
    ours_env = {
        **os.environ,
        "NEWSROOM_ENV": "production",
        "SECRET_KEY": "sbs-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{database}",
        "DATABASE_CONN_MAX_AGE": "600",
        "SINGLE_MACHINE": "true",
        "SITE_URL": "http://127.0.0.1",
        "GUNICORN_LOG_LEVEL": "warning",
        "PAGE_CACHE_SECONDS": "0",
    }
    with tempfile.TemporaryDirectory() as cache:
        ours_env["CACHE_URL"] = f"file://{cache}"
        gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "2"]
        servers = [
            subprocess.Popen(
                [*gunicorn, "-c", "gunicorn.conf.py", "-b", "127.0.0.1:8811"],
                cwd=ROOT, env=ours_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ),
            subprocess.Popen(
                [str(PEER_DIR / "venv" / "bin" / "gunicorn"), "newsroompeer.wsgi", "-w", "2",
                 "-b", "127.0.0.1:8790"],
                cwd=PEER_DIR / "site", env={**os.environ, "PEER_CONN_MAX_AGE": "600"},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ),
        ]  # fmt: skip
        urls = {
            "wagtail_tag": "http://127.0.0.1:8790/news/?tag=ukraine",
            "ours_article_uncached": f"http://127.0.0.1:8811{path}",
        }
        try:
            for url in urls.values():
                wait_for(url)
                wrk(url, "3s")  # warm up, as the script does
            measured = {name: [] for name in urls}
            for _ in range(args.rounds):
                for name, url in urls.items():
                    measured[name].append(wrk(url, args.duration))
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)
    return {name: statistics.median(rates) for name, rates in measured.items()}


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def wrk(url, duration):
    """Requests per second of ``url`` with wrk -t2 -c16 for ``duration``; no error allowed."""
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", url], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"{url} answered with errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def write_table(args, pages):
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with the peer's side-by-side script "
        f"({args.rounds} rounds of {args.duration} per page, medians), one script run per page "
        "of ours, each with Wagtail's pages in the same run.",
        "",
        "| page | Newsroom uncached req/s | Wagtail req/s (same run) | ratio | "
        "target | Newsroom cached req/s | static file req/s | cached vs static |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, (path, rows) in pages.items():
        # The article is compared with Wagtail's article; every other page with its tag index.
        peer = rows["wagtail_article"] if name.startswith("article") else rows["wagtail_tag"]
        peer_name = "article" if name.startswith("article") else "tag index"
        ours = rows["ours_article_uncached"]
        cached = (
            f"| {rows['ours_article_cached']:,.0f} | {rows['ours_static']:,.0f} "
            f"| {rows['ours_article_cached'] / rows['ours_static']:.0%} |"
            if "ours_article_cached" in rows
            else "| (not measured) | | |"
        )
        lines.append(
            f"| {name} (`{path}`) | {ours:,.0f} | {peer:,.0f} ({peer_name}) | {ours / peer:.1f}× "
            f"| {'met' if ours / peer >= TARGET else 'not met'} (≥ {TARGET:.0f}×) " + cached
        )
        if name == "article (seed)":
            tag_ours, tag_peer = rows["ours_tag_uncached"], rows["wagtail_tag"]
            lines.append(
                f"| tag page, the script's own (~53 articles) | {tag_ours:,.0f} | {tag_peer:,.0f} "
                f"(tag index) | {tag_ours / tag_peer:.1f}× "
                f"| {'met' if tag_ours / tag_peer >= TARGET else 'not met'} (≥ {TARGET:.0f}×) "
                f"| {rows['ours_tag_cached']:,.0f} | {rows['ours_static']:,.0f} "
                f"| {rows['ours_tag_cached'] / rows['ours_static']:.0%} |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text("# Side by side with Wagtail, cold\n\n" + text)


if __name__ == "__main__":
    main()
