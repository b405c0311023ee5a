"""The demo content: the UK–EU talks article of 18 March 2025, shipped with the project."""

import datetime
import json
from pathlib import Path

from django.db import models, transaction

from articles.demo.graphic import make_graphic
from articles.demo.media import add_body_media
from articles.media.library import add_picture
from articles.models import Article, ArticleEvent, Event, Person, Quote
from articles.planning.demo import plan_demo_coverage

DEMO_DIR = Path(__file__).resolve().parent
DEMO_FILE = DEMO_DIR / "uk-eu-talks-18-march.json"


@transaction.atomic
def load_demo():
    """
    Create the demo article with its people, quotes, tags and events.

    Idempotent: rows that already exist are left exactly as they are, so running it
    again changes nothing, and an editor's later changes to the demo survive.
    Returns the article and whether anything was created.
    """
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    spec = data["article"]
    published_at = datetime.datetime.fromisoformat(spec["published_at"])

    people = {}
    for person in data["people"]:
        people[person["slug"]], _ = Person.objects.get_or_create(
            slug=person["slug"], defaults=person
        )

    article, created = Article.objects.get_or_create(
        slug=spec["slug"],
        publication_date=published_at.date(),
        defaults={
            "title": spec["title"],
            "standfirst": spec["standfirst"],
            "body": (DEMO_DIR / spec["body_file"]).read_text(encoding="utf-8"),
            "status": Article.Status.PUBLISHED,
            "published_at": published_at,
            "dateline": spec.get("dateline", ""),
        },
    )
    if created:
        article.tags.set(spec["tags"])
        image = spec["lead_image"]
        article.lead_image = add_picture(
            make_graphic(), alt=image["alt"], caption=image["caption"], credit=image["credit"]
        )
        article.save()
        # Loaded now, but not edited since it was published.
        Article.objects.filter(pk=article.pk).update(updated_at=published_at)
        article.updated_at = published_at

    for quote in data["quotes"]:
        Quote.objects.get_or_create(
            article=article,
            position=quote["position"],
            defaults={
                "speaker": people[quote["speaker"]],
                "role": quote["role"],
                "text": quote["text"],
            },
        )

    for event_spec in data["events"]:
        fields = {key: value for key, value in event_spec.items() if key != "kind"}
        event, _ = Event.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)
        ArticleEvent.objects.get_or_create(
            article=article, event=event, defaults={"kind": event_spec["kind"]}
        )
    if created:
        # With its quotes in place, so that its pull quote shows at once.
        add_body_media(article)
        Article.objects.filter(pk=article.pk).update(updated_at=published_at)
    plan_demo_coverage()
    return article, created


LIVE_DEMO_FILE = DEMO_DIR / "uk-eu-summit-live.json"


@transaction.atomic
def load_live_demo():
    """
    The closed live coverage of the UK–EU Summit of 19 May 2025: a dozen updates, two
    with quotes from the seed's speakers, one key event pinned, linked to the summit.
    Idempotent like ``load_demo()`` (whose people and event it uses): nothing is
    changed if the article exists. Returns the article and whether it was created.
    """
    from articles.live.models import LiveCoverage, LiveUpdate
    from articles.live.services import FIRST_UPDATE_QUOTE

    data = json.loads(LIVE_DEMO_FILE.read_text(encoding="utf-8"))
    spec = data["article"]
    published_at = datetime.datetime.fromisoformat(spec["published_at"])
    article, created = Article.objects.get_or_create(
        slug=spec["slug"],
        publication_date=published_at.date(),
        defaults={
            "title": spec["title"],
            "standfirst": spec["standfirst"],
            "body": spec["body"],
            "status": Article.Status.PUBLISHED,
            "published_at": published_at,
            "dateline": spec["dateline"],
        },
    )
    if not created:
        return article, False
    article.tags.set(spec["tags"])
    event = Event.objects.get(slug=spec["event"])
    ArticleEvent.objects.create(article=article, event=event, kind=ArticleEvent.Kind.REPORTS_ON)
    coverage = spec["coverage"]
    LiveCoverage.objects.create(
        article=article,
        state=LiveCoverage.State.CLOSED,
        starts_at=datetime.datetime.fromisoformat(coverage["starts_at"]),
        ends_at=datetime.datetime.fromisoformat(coverage["ends_at"]),
        summary=coverage["summary"],
    )
    position = FIRST_UPDATE_QUOTE
    for item in data["updates"]:
        at = datetime.datetime.fromisoformat(f"{published_at.date()}T{item['at']}:00+01:00")
        update = LiveUpdate.objects.create(
            article=article,
            published_at=at,
            headline=item.get("headline", ""),
            body=item["body"],
            is_key_event=item.get("key_event", False),
            is_pinned=item.get("pinned", False),
        )
        for quote in item.get("quotes", []):
            Quote.objects.create(
                article=article,
                update=update,
                speaker=Person.objects.get(slug=quote["speaker"]),
                role=quote["role"],
                text=quote["text"],
                position=position,
            )
            position += 1
    # Loaded now, but as the day left it.
    end = datetime.datetime.fromisoformat(coverage["ends_at"])
    Article.objects.filter(pk=article.pk).update(updated_at=end)
    LiveUpdate.objects.filter(article=article).update(updated_at=models.F("published_at"))
    return article, True
