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
import subprocess
import sys
import tempfile
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
    write_table(args, pages)


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
        lines.append(
            f"| {name} (`{path}`) | {ours:,.0f} | {peer:,.0f} ({peer_name}) | {ours / peer:.1f}× "
            f"| {'met' if ours / peer >= TARGET else 'not met'} (≥ {TARGET:.0f}×) "
            f"| {rows['ours_article_cached']:,.0f} | {rows['ours_static']:,.0f} "
            f"| {rows['ours_article_cached'] / rows['ours_static']:.0%} |"
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
