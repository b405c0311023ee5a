"""Small factory functions: each makes one valid object, with overrides as keyword arguments."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, ArticleEvent, Correction, Event, Person, Quote

_sequence = itertools.count(1)


def make_person(**overrides):
    n = next(_sequence)
    fields = {"name": f"Person {n}", "role": "Minister", "organisation": "Government"}
    fields.update(overrides)
    return Person.objects.create(**fields)


def make_event(**overrides):
    n = next(_sequence)
    fields = {"name": f"Summit {n}", "starts_on": datetime.date(2025, 5, 19), "location": "London"}
    fields.update(overrides)
    return Event.objects.create(**fields)


def make_article(tags=(), **overrides):
    """A published article, due an hour ago, unless ``status``/``published_at`` say otherwise."""
    n = next(_sequence)
    fields = {
        "title": f"Article number {n}",
        "slug": f"article-{n}",
        "standfirst": f"Standfirst of article {n}.",
        "body": f"First paragraph of article {n}.\n\n## A subheading\n\nSecond paragraph.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(hours=1),
    }
    fields.update(overrides)
    article = Article.objects.create(**fields)
    if tags:
        article.tags.add(*tags)
    return article


def make_quote(article, speaker=None, **overrides):
    fields = {
        "speaker": speaker or make_person(),
        "role": "Foreign Secretary",
        "text": "We stand together.",
        "position": article.quotes.count() + 1,
    }
    fields.update(overrides)
    return Quote.objects.create(article=article, **fields)


def link_event(article, event=None, kind=ArticleEvent.Kind.MENTIONS):
    return ArticleEvent.objects.create(article=article, event=event or make_event(), kind=kind)


def make_correction(article, **overrides):
    fields = {"text": "An earlier version misspelt a name."}
    fields.update(overrides)
    return Correction.objects.create(article=article, **fields)


def make_user(username=None, **overrides):
    username = username or f"user{next(_sequence)}"
    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password", **overrides
    )
    return user


ARTICLE_INLINES = ["quotes", "event_links", "corrections", "share_links"]


def empty_article_inlines():
    """The management data the article form's inlines post when none has a row."""
    data = {}
    for prefix in ARTICLE_INLINES:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def make_staff(username, role):
    """A staff user in the Writers or Editors group (see articles.roles)."""
    from django.contrib.auth.models import Group

    user = make_user(username, is_staff=True, first_name=username.title())
    user.groups.add(Group.objects.get(name=role))
    return user


def make_picture(size=(1200, 800), fmt="JPEG", alt="A picture", **text):
    """A picture of the media library, stored with its renditions and crops."""
    from django.core.files.base import ContentFile

    from articles.media.library import add_picture
    from tests.images import picture_bytes

    return add_picture(ContentFile(picture_bytes(fmt, size), name="picture"), alt=alt, **text)


# The site in two languages, as the tests of translations set it (the `bilingual` fixture).
TWO_LANGUAGES = [("en-gb", "British English"), ("fr", "français")]
