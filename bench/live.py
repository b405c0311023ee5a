"""
A live page under load: many readers polling a live article's updates while writers
post to it through the admin, against gunicorn, for a fixed time. Then the database and
the last page are checked: every update the server acknowledged must be there.

    python bench/live.py [--seconds 120] [--readers 500] [--poll 15] [--writers 3]
                         [--post-every 10] [--workers 3] [--out FILE]

Each reader loads the page once, then fetches ``<article>/updates/`` every ``--poll``
seconds with ``If-None-Match`` (as the page's script does): readers start spread over
the first interval. Each writer, logged in to the admin, posts an update every
``--post-every`` seconds through the quick-post form. Reported: 5xx (must be none),
updates lost (acknowledged but missing, must be none), how soon each update was
visible (from the writer's acknowledgement to the first poll begun after it that
showed it; must be under 2 s), polls that began after an update was acknowledged and
did not show it (stale, must be none), and the share of polls answered 304.

DATABASE_URL chooses the database (default: a fresh SQLite file under bench/data/).
The run stops by itself: every thread has the same deadline, and the server is stopped
whatever happens. Exit status 1 if a requirement is not met.
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from writers import (  # the writers' benchmark's browser and server
    DATA,
    PYTHON,
    ROOT,
    Browser,
    manage_shell,
    production,
    scratch_site,
    start_server,
    stop_server,
)

PASSWORD = "live-bench-" + "p" * 20
# Threads that play the readers, each several in turn (a reader waits 15 s between polls).
READER_THREADS = 40
UPDATE_ID = re.compile(r'data-update="(\d+)"')

PREPARE = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from articles.demo import load_demo
from articles.live.services import make_live
from articles.models import Article
from articles.roles import WRITERS
from django.utils import timezone
load_demo()
article, created = Article.objects.get_or_create(
    slug="live-bench",
    defaults={"title": "Live benchmark", "standfirst": "A live page under load.",
              "body": "Covered live.", "status": "published", "published_at": timezone.now()},
)
if created:
    article.tags.add("Benchmark")
make_live(article)
writers = []
for n in range(1, COUNT + 1):
    user, _ = get_user_model().objects.get_or_create(username=f"live-writer-{n}")
    user.is_staff = True
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=WRITERS))
    article.authors.add(user)
    writers.append(user.username)
print(json.dumps({"article": article.pk, "url": article.get_absolute_url(), "writers": writers,
                  "before": article.live_updates.count()}))
"""

VERIFY = """
import json
from articles.live.models import LiveUpdate
print(json.dumps(sorted(LiveUpdate.objects.filter(article=ARTICLE).values_list("body", flat=True))))
"""


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.polls = Counter()  # status -> count
        self.quiet_polls = Counter()  # the same, after the writers stopped
        self.writers_stop = float("inf")
        self.cache = Counter()  # X-Cache of each poll: hit (from the page cache) or miss
        self.poll_latencies = []
        self.page_loads = Counter()
        self.errors = []
        self.posted = {}  # body -> (acknowledged at, update id)
        self.post_statuses = Counter()
        self.first_seen = {}  # update id -> time the first poll begun after its ack showed it
        self.stale = []

    def poll(self, status, seconds, started):
        with self.lock:
            if started >= self.writers_stop:
                self.quiet_polls[status] += 1
                return
            self.polls[status] += 1
            self.poll_latencies.append(seconds)


class Reader:
    def __init__(self, port, page, due):
        self.browser = Browser(port)
        self.page, self.due = page, due
        self.etag, self.loaded = None, False
        self.shown = set()  # the updates of the last fragment this reader got


def read(readers, port, page, poll_every, stop_at, tally):
    fragment = f"{page}updates/"
    while True:
        reader = min(readers, key=lambda r: r.due)
        if reader.due >= stop_at:
            return
        time.sleep(max(0, reader.due - time.monotonic()))
        reader.due += poll_every
        try:
            if not reader.loaded:
                status, _, _ = reader.browser.request("GET", page)
                with tally.lock:
                    tally.page_loads[status] += 1
                reader.loaded = True
                continue
            started = time.monotonic()
            status, headers, body = conditional_get(reader.browser, fragment, reader.etag)
        except OSError as error:
            tally.errors.append(f"reader: {error!r}")
            continue
        tally.poll(status, time.monotonic() - started, started)
        with tally.lock:
            tally.cache[headers.get("X-Cache", "none")] += 1
        if status == 200:
            reader.etag = headers.get("ETag")
            reader.shown = set(map(int, UPDATE_ID.findall(body)))
        elif status != 304:
            continue
        with tally.lock:
            for acknowledged, update_id in list(tally.posted.values()):
                if acknowledged >= started:
                    continue  # posted while this poll ran: it may or may not show it
                if update_id in reader.shown:
                    tally.first_seen.setdefault(update_id, started)
                elif update_id > min(reader.shown, default=0):
                    # Acknowledged before the poll began, among the newest listed, and
                    # not shown (a 200 without it, or a 304 to a copy without it).
                    tally.stale.append((update_id, started - acknowledged))


def conditional_get(browser, path, etag):
    """A GET with ``If-None-Match`` on the browser's connection: (status, headers, body)."""
    headers = {"Host": f"127.0.0.1:{browser.port}"}
    if etag:
        headers["If-None-Match"] = etag
    for attempt in range(2):
        if browser.connection is None:
            browser.connection = HTTPConnection("127.0.0.1", browser.port, timeout=60)
        try:
            browser.connection.request("GET", path, headers=headers)
            response = browser.connection.getresponse()
            content = response.read()
            return response.status, response.headers, content.decode("utf-8", "replace")
        except (ConnectionError, OSError):
            browser.connection.close()
            browser.connection = None
            if attempt:
                raise
    raise OSError("unreachable")


def write(browser, username, article_id, every, start_at, stop_at, tally):
    add = "/admin/articles/liveupdate/add/"
    n = 0
    next_at = start_at
    while True:
        if next_at >= stop_at:
            return
        time.sleep(max(0, next_at - time.monotonic()))
        next_at += every
        n += 1
        try:
            status, _, page = browser.request("GET", f"{add}?article={article_id}")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200 or token is None:
                tally.errors.append(f"{username}: the post form answered {status}")
                continue
            body = f"Update {n} from {username}, posted under load."
            fields = {
                "csrfmiddlewaretoken": token[1],
                "live-article": article_id,
                "live-body": body,
            }
            status, _, _ = browser.request("POST", add, fields)
            acknowledged = time.monotonic()
        except OSError as error:
            tally.errors.append(f"{username} post {n}: {error!r}")
            continue
        with tally.lock:
            tally.post_statuses[status] += 1
        if status == 302:
            # The new update's id, read back from the admin's list of this article's updates.
            update_id = latest_update_id(browser, body, article_id)
            if update_id:
                with tally.lock:
                    tally.posted[body] = (acknowledged, update_id)


def latest_update_id(browser, body, article_id):
    _, _, page = browser.request("GET", f"/admin/articles/liveupdate/?q={body.replace(' ', '+')}")
    found = re.search(r"/admin/articles/liveupdate/(\d+)/change/", page)
    return int(found[1]) if found else None


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--readers", type=int, default=500)
    parser.add_argument("--poll", type=float, default=15)
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--post-every", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "live.md"))
    args = parser.parse_args()

    engine, env, setup_env = scratch_site("live")
    plan = manage_shell(
        setup_env,
        PREPARE.replace("PASSWORD", repr(PASSWORD)).replace("COUNT", str(args.writers)),
    )
    server_env = production(env, "live")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=server_env, check=True)  # fmt: skip
    log_path = DATA / f"live-{engine.lower()}.log"
    server, port = start_server(server_env, args.workers, log_path)
    tally = Tally()
    try:
        writers = []
        for username in plan["writers"]:
            browser = Browser(port, https=True)
            browser.login("/admin/", username, PASSWORD)
            writers.append((browser, username))
        # The readers load the page in the first interval and poll from the second; the
        # writers post from then on, for ``--seconds``.
        start = time.monotonic() + 2
        writing = start + args.poll
        stop_at = writing + args.seconds
        # Then a quiet interval, once every reader has polled after the last post: how many
        # polls a page with nothing new answers with a 304.
        tally.writers_stop = stop_at + args.poll
        quiet_until = tally.writers_stop + args.poll
        readers = [
            Reader(port, plan["url"], start + args.poll * i / args.readers)
            for i in range(args.readers)
        ]
        threads = [
            threading.Thread(
                target=read,
                args=(readers[i::READER_THREADS], port, plan["url"], args.poll, quiet_until, tally),
            )
            for i in range(READER_THREADS)
        ]
        threads += [
            threading.Thread(
                target=write,
                args=(
                    browser,
                    name,
                    plan["article"],
                    args.post_every,
                    writing + i * args.post_every / args.writers,
                    stop_at,
                    tally,
                ),
            )
            for i, (browser, name) in enumerate(writers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        # The last word: the page as a new reader gets it now.
        _, _, final_page = Browser(port).request("GET", plan["url"])
    finally:
        stop_server(server)
    saved = set(manage_shell(setup_env, VERIFY.replace("ARTICLE", str(plan["article"]))))
    acknowledged = tally.post_statuses[302]
    lost = [body for body in tally.posted if body not in saved or body not in final_page]
    lost += ["(acknowledged, id not found)"] * (acknowledged - len(tally.posted))
    latencies = [
        tally.first_seen[update_id] - acked
        for acked, update_id in tally.posted.values()
        if update_id in tally.first_seen
    ]
    unseen = len(tally.posted) - len(latencies)
    polls = sum(tally.polls.values())
    server_errors = sum(n for s, n in (tally.polls + tally.page_loads + tally.post_statuses).items()
                        if s >= 500)  # fmt: skip
    log_text = log_path.read_text()
    row = {
        "engine": engine,
        "polls": polls,
        "polls_per_s": polls / (args.seconds + args.poll),
        "share_304": tally.polls[304] / polls if polls else 0,
        "share_cached": tally.cache["hit"] / (polls + sum(tally.quiet_polls.values())),
        "quiet_304": tally.quiet_polls[304] / max(sum(tally.quiet_polls.values()), 1),
        "poll_p50_ms": 1000 * statistics.median(tally.poll_latencies) if polls else 0,
        "poll_p99_ms": 1000 * percentile(tally.poll_latencies, 0.99),
        "posted": acknowledged,
        "visible_median_s": statistics.median(latencies) if latencies else float("nan"),
        "visible_max_s": max(latencies) if latencies else float("nan"),
        "unseen": unseen,
        "stale": len(tally.stale),
        "5xx": server_errors,
        "lost": len(lost),
        "tracebacks": log_text.count("Traceback"),
    }
    line = (
        f"| {engine} | {args.seconds} s | {args.workers} | {args.readers} readers / "
        f"{args.poll:g} s + {args.writers} writers / {args.post_every:g} s "
        f"| {row['polls']} ({row['polls_per_s']:.0f}/s) | {row['share_304']:.1%} "
        f"| {row['quiet_304']:.1%} "
        f"| {row['share_cached']:.1%} "
        f"| {row['poll_p50_ms']:.0f} / {row['poll_p99_ms']:.0f} ms | {row['posted']} "
        f"| {row['visible_median_s']:.2f} / {row['visible_max_s']:.2f} s | {row['stale']} "
        f"| {row['5xx']} | {row['lost']} |"
    )
    header = (
        "| database | time | gunicorn workers | load | polls while posting | 304 share "
        "| 304 share, nothing new "
        "| from the page cache | poll p50 / p99 "
        "| updates posted | visible after, median / max | stale polls | 5xx | lost updates |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    print(header)
    print(line)
    print(f"  posts answered: {dict(tally.post_statuses)}; page loads: {dict(tally.page_loads)}")
    for problem in lost[:10] + tally.errors[:10]:
        print("  " + problem)
    slowest = sorted(
        (tally.first_seen[i] - acked, acked - writing, i)
        for acked, i in tally.posted.values()
        if i in tally.first_seen
    )[-3:]
    print(
        "  slowest: "
        + ", ".join(
            f"update {i} posted at +{at:.1f} s seen after {late:.2f} s" for late, at, i in slowest
        )
    )
    if unseen:
        print(f"  {unseen} updates were never seen by a poll begun after they were acknowledged")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}"
    if not Path(args.out).exists():
        Path(args.out).write_text(
            "# A live page under load (`make bench-live`), one row per run\n\n" + header + "\n"
        )
    with open(args.out, "a", encoding="utf-8") as out:
        out.write(f"\n<!-- {stamp}, {machine} -->\n{line}\n")
    failed = (
        row["5xx"] or row["lost"] or row["stale"] or unseen or not acknowledged
        or not latencies or row["visible_max_s"] > 2
    )  # fmt: skip
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
