"""
Synthetic articles for benchmarks: realistic proportions, bulk inserts, a progress bar.

For N articles: about 5 tags, 2 quotes and 1 event each; 2,000 tags, 5,000 people and
3,000 events at N = 100,000 (fewer, in proportion, for smaller N). Deterministic for a
given --seed. Not for production databases: it only adds rows, marked by their slugs.
"""

import datetime
import random
import sys
import time
from itertools import accumulate

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleEvent, Event, Person, Quote, TaggedArticle
from articles.search import compact_search_index, update_search_documents
from articles.signals import refresh_sqlite_statistics


def words(text):
    return tuple(text.split())


WORDS = words(
    "talks summit minister agreement sanctions defence border trade election vote council "
    "budget energy prices inflation strike union hospital schools climate flood storm court "
    "ruling police inquiry report parliament reform tax deal ceasefire aid refugees ports "
    "farmers fishing quotas rail fares housing rents wages growth markets shares banks "
    "security cyber attack satellite launch vaccine health research university city region "
    "coast river bridge road airport airline pilots doctors nurses teachers students"
)
FIRST = words("Anna Ben Chloe David Elena Farid Grace Hugo Ines James Kaja Lars Maria Nadia Omar")
LAST = words("Berg Costa Dubois Evans Fischer Garcia Healey Ivanova Jensen Kallas Lammy Novak")
PLACES = words("London Brussels Berlin Paris Kyiv Warsaw Rome Madrid Vienna Dublin Oslo")
EVENT_WORDS = ("Summit", "Conference", "Forum")
ROLES = ["Foreign Secretary", "Defence Secretary", "Mayor", "Union leader", "Economist", ""]
KINDS = [kind for kind, _ in ArticleEvent.Kind.choices]
BATCH = 2000


class Progress:
    def __init__(self, total, label, stream):
        self.total, self.label, self.stream = total, label, stream
        self.started = time.monotonic()

    def show(self, done):
        width = 30
        filled = int(width * done / max(self.total, 1))
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label:<9} [{'#' * filled}{'.' * (width - filled)}] "
            f"{done:>7}/{self.total} {elapsed:5.1f}s"
        )
        self.stream.flush()
        if done >= self.total:
            self.stream.write("\n")


def sentence(rng, words=12):
    text = " ".join(rng.choices(WORDS, k=words))
    return text[0].upper() + text[1:] + "."


def synthetic_body(rng):
    """
    A body of plain paragraphs and one subheading, in Markdown and as the HTML that
    render_markdown makes of it: built directly, as rendering a hundred thousand bodies
    was a third of the seeding time (tests check that the two agree).
    """
    paragraphs = [sentence(rng, rng.randint(15, 30)) for _ in range(6)]
    heading, last = sentence(rng, 4).rstrip("."), sentence(rng, 20)
    body = "\n\n".join(paragraphs) + f"\n\n## {heading}\n\n{last}"
    html = "".join(f"<p>{p}</p>\n" for p in paragraphs) + f"<h2>{heading}</h2>\n<p>{last}</p>\n"
    return body, html


def insert_rows(model, fields, rows):
    """INSERT ``rows`` (tuples of ``fields``' values) into ``model``'s table."""
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "
            f"VALUES ({placeholders})",
            rows,
        )


class Command(BaseCommand):
    help = __doc__.strip().splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, articles, seed, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_bench adds synthetic articles; not in production.")
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        rng = random.Random(seed)
        scale = articles / 100_000
        counts = {
            "tags": max(20, round(2000 * scale)),
            "people": max(20, round(5000 * scale)),
            "events": max(10, round(3000 * scale)),
        }
        started = time.monotonic()
        stream = sys.stderr
        with transaction.atomic():
            tags = self.make_tags(counts["tags"], seed)
            people = self.make_people(rng, counts["people"], seed)
            events = self.make_events(rng, counts["events"], seed)
        self.make_articles(rng, articles, seed, tags, people, events, stream)
        # Statistics for the query planner, as after any large import (see
        # articles.signals.refresh_planner_statistics).
        if connection.vendor == "postgresql":
            # And the visibility map that lets index-only scans skip the table, as
            # autovacuum would in time (VACUUM cannot run inside a transaction, as when
            # a test calls this command).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        refresh_sqlite_statistics(connection)
        self.stdout.write(
            f"Seeded {articles} articles, {len(tags)} tags, {len(people)} people and "
            f"{len(events)} events in {time.monotonic() - started:.0f} s."
        )

    def make_tags(self, count, seed):
        repeated = WORDS * (count // len(WORDS) + 1)
        names = [f"{word} {n}" for n, word in enumerate(repeated[:count])]
        Tag.objects.bulk_create(
            [
                Tag(name=f"Bench {name}", slug=f"bench-{seed}-{name.replace(' ', '-')}")
                for name in names
            ],
            ignore_conflicts=True,
        )
        return list(
            Tag.objects.filter(slug__startswith=f"bench-{seed}-").values_list("pk", flat=True)
        )

    def make_people(self, rng, count, seed):
        Person.objects.bulk_create(
            [
                Person(
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                    slug=f"bench-{seed}-person-{n}",
                    role=rng.choice(ROLES),
                )
                for n in range(count)
            ],
            ignore_conflicts=True,
        )
        return list(
            Person.objects.filter(slug__startswith=f"bench-{seed}-person-").values_list(
                "pk", flat=True
            )
        )

    def make_events(self, rng, count, seed):
        today = timezone.localdate()
        Event.objects.bulk_create(
            [
                Event(
                    name=f"{rng.choice(PLACES)} {rng.choice(EVENT_WORDS)} {n}",
                    slug=f"bench-{seed}-event-{n}",
                    starts_on=today + datetime.timedelta(days=rng.randint(-3000, 200)),
                    location=rng.choice(PLACES),
                )
                for n in range(count)
            ],
            ignore_conflicts=True,
        )
        return list(
            Event.objects.filter(slug__startswith=f"bench-{seed}-event-").values_list(
                "pk", flat=True
            )
        )

    def make_articles(self, rng, total, seed, tags, people, events, stream):
        now = timezone.now()
        progress = Progress(total, "articles", stream)
        # A few tags and people are in the news far more than the rest (cumulative
        # weights, summed once rather than by every draw).
        tag_weights = list(accumulate(1 / (rank + 1) for rank in range(len(tags))))
        person_weights = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(people))))
        done = 0
        while done < total:
            size = min(BATCH, total - done)
            batch = []
            for n in range(done, done + size):
                published_at = now - datetime.timedelta(minutes=rng.randint(5, 60 * 24 * 3650))
                status = Article.Status.PUBLISHED
                roll = rng.random()
                if roll < 0.03:
                    status = Article.Status.DRAFT
                elif roll < 0.05:
                    published_at = now + datetime.timedelta(hours=rng.randint(1, 72))
                body, body_html = synthetic_body(rng)
                batch.append(
                    Article(
                        title=sentence(rng, rng.randint(6, 11)).rstrip("."),
                        slug=f"bench-{seed}-{n}",
                        standfirst=sentence(rng, 20),
                        body=body,
                        body_html=body_html,
                        status=status,
                        published_at=published_at,
                        publication_date=timezone.localdate(published_at),
                        dateline=rng.choice(PLACES),
                        edit_version=1,
                    )
                )
            with transaction.atomic():
                created = Article.objects.bulk_create(batch)
                tagged, quotes, links = [], [], []
                for article in created:
                    chosen = set(rng.choices(tags, cum_weights=tag_weights, k=7))
                    tagged += [(article.pk, t) for t in list(chosen)[:5]]
                    speakers = rng.choices(people, cum_weights=person_weights, k=2)
                    # Said in the articles' language: no original words to keep.
                    quotes += [
                        (article.pk, speaker, n, rng.choice(ROLES), sentence(rng, 18), "", "")
                        for n, speaker in enumerate(speakers, 1)
                    ]
                    links.append((article.pk, rng.choice(events), rng.choice(KINDS)))
                # Eight rows an article: plain rows, without a model instance for each.
                insert_rows(TaggedArticle, ["content_object", "tag"], tagged)
                insert_rows(
                    Quote,
                    ["article", "speaker", "position", "role", "text", "original_text",
                     "original_language"],
                    quotes,
                )  # fmt: skip
                insert_rows(ArticleEvent, ["article", "event", "kind"], links)
                update_search_documents(Article.objects.filter(pk__in=[a.pk for a in created]))
            done += size
            progress.show(done)
        compact_search_index()  # written in a segment a batch: merged, as after any bulk load
