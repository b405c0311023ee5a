"""The demo content: the UK–EU talks article of 18 March 2025, shipped with the project."""

import datetime
import json
from pathlib import Path

from django.db import models, transaction

from articles import languages
from articles.demo.graphic import make_graphic
from articles.demo.media import add_body_media
from articles.media.library import add_picture
from articles.models import Article, ArticleEvent, Event, Person, Quote, TagProfile
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

    Where French is one of the site's languages, the article's French translation too,
    and the French names of its tags, events and people's roles (see load_translation).
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
    for language, translation in data.get("translations", {}).items():
        if language in languages.codes() and language != article.language:
            load_translation(article, language, translation)
    return article, created


def load_translation(original, language, spec):
    """
    The seed article's translation into ``language``: published, its quotes marked as
    translated (the English words kept as their original text), the original's tags and
    events; and the names of those tags and events, and the roles of its people, in
    ``language`` where they have none yet. Created once: run again (or once the language
    is added to the site), it finds the translation and changes nothing.
    """
    article_spec = spec["article"]
    published_at = datetime.datetime.fromisoformat(article_spec["published_at"])
    if original.translations.filter(language=language).exists():
        return
    article = Article.objects.create(
        title=article_spec["title"],
        slug=article_spec["slug"],
        standfirst=article_spec["standfirst"],
        body=(DEMO_DIR / article_spec["body_file"]).read_text(encoding="utf-8"),
        dateline=article_spec["dateline"],
        language=language,
        translation_of=original,
        # The original as it was translated: nothing of it is new since.
        translation_source={
            "version": original.edit_version,
            "title": original.title,
            "standfirst": original.standfirst,
            "body": original.body,
        },
        status=Article.Status.PUBLISHED,
        published_at=published_at,
    )
    article.tags.set(list(original.tags.all()))
    originals = {quote.position: quote for quote in original.quotes.all()}
    for quote in spec["quotes"]:
        said = originals[quote["position"]]
        Quote.objects.create(
            article=article,
            position=quote["position"],
            speaker=said.speaker,
            role=quote["role"],
            text=quote["text"],
            original_text=said.text,
            original_language=original.language,
        )
    for link in original.event_links.all():
        ArticleEvent.objects.create(article=article, event=link.event, kind=link.kind)
    # Saved again with its quotes in place, so that its pull quote shows.
    article.save()
    Article.objects.filter(pk=article.pk).update(updated_at=published_at)

    def translate(obj, fields):
        translations = obj.translations or {}
        own = translations.setdefault(language, {})
        if all(own.get(field) for field in fields):
            return
        for field, text in fields.items():
            own.setdefault(field, text)
        obj.translations = translations
        obj.save(update_fields=["translations"])

    for slug, fields in spec["people"].items():
        if person := Person.objects.filter(slug=slug).first():
            translate(person, fields)
    for slug, fields in spec["events"].items():
        if event := Event.objects.filter(slug=slug).first():
            translate(event, fields)
    for tag in original.tags.all():
        if name := spec["tags"].get(tag.name):
            profile, _ = TagProfile.objects.get_or_create(tag=tag)
            translate(profile, {"name": name})


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
