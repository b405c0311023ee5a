"""What the content API answers, as typed schemas: the OpenAPI document is made from these."""

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class Error(Schema):
    detail: str = Field(description="What went wrong, for the developer who sent the request.")
    errors: list[str] = Field(
        default_factory=list,
        description="Each problem found in the request, where there are several.",
    )


class TagRef(Schema):
    name: str
    slug: str
    url: str = Field(description="The tag's page on the public site.")


class PersonRef(Schema):
    name: str
    slug: str
    url: str = Field(description="The person's page on the public site.")


class EventRef(Schema):
    name: str
    slug: str
    url: str = Field(description="The event's page on the public site.")
    starts_on: datetime.date
    ends_on: datetime.date | None
    date_precision: str = Field(description="day, month or year: how exactly the date is known.")
    location: str
    status: str = Field(description="scheduled, postponed, cancelled or took_place.")


class Quote(Schema):
    position: int
    text: str
    speaker: PersonRef
    role: str = Field(description="The speaker's role when they said it.")


class EventLink(Schema):
    kind: str = Field(description="reports_on, previews, mentions or follows_up.")
    kind_label: str
    event: EventRef


class Correction(Schema):
    text: str
    published_at: datetime.datetime


class Rendition(Schema):
    url: str
    width: int
    height: int
    content_type: str


class LeadImage(Schema):
    id: int = Field(description="The picture in the media library.")
    alt: str
    caption: str
    credit: str
    width: int | None
    height: int | None
    renditions: list[Rendition]


class Translation(Schema):
    language: str = Field(description="Its language, as the site names it (“fr”, “en-gb”).")
    id: int
    url: str = Field(description="It in the API.")


class Article(Schema):
    id: int
    url: str = Field(description="This article in the API.")
    canonical_url: str = Field(description="The article's page on the public site.")
    ninjs_url: str = Field(description="This article as IPTC ninjs 2.1.")
    language: str = Field(description="The language it is written in (“en-gb”, “fr”).")
    translations: list[Translation] = Field(
        description="The same story in the site's other languages, published: its original "
        "and the original's other translations (not itself)."
    )
    headline: str
    standfirst: str
    body_html: str = Field(description="The body as sanitized HTML.")
    body: list[dict[str, Any]] = Field(
        description="The body as items, in order: {type: text, html}, and each block: "
        "{type: pull_quote, position, text, role, speaker}, {type: embed, url, provider, "
        "provider_name, title, author_name, thumbnail, frame_url}, {type: picture, picture, "
        "available, and when available: id, alt, caption, credit, size (inline, wide, "
        "full), url (the original), src, jpeg_srcset, webp_srcset, sizes, width, height, "
        "renditions [{url, width, height, format}]}, {type: gallery, pictures, available, "
        "items: the same for each picture, src its list crop, full_url its largest size}."
    )
    byline: str
    dateline: str
    published_at: datetime.datetime
    updated_at: datetime.datetime
    lead_image: LeadImage | None
    tags: list[TagRef]
    quotes: list[Quote]
    events: list[EventLink]
    corrections: list[Correction]


class Page(Schema):
    count: int = Field(description="How many match; counting stops at 1,000.")
    count_is_limited: bool = Field(description="True when there are at least this many.")
    next: str | None = Field(description="The next page, or null on the last.")
    previous: str | None = Field(description="The previous page, or null on the first.")


class ArticlePage(Page):
    results: list[Article]


class Tag(TagRef):
    article_count: int
    articles: str = Field(description="Its articles through the API.")


class TagPage(Page):
    results: list[Tag]


class Event(EventRef):
    article_count: int
    articles: str = Field(description="Its articles through the API.")


class EventPage(Page):
    results: list[Event]


class Person(PersonRef):
    role: str = Field(description="Their current role.")
    organisation: str
    article_count: int = Field(description="Public articles quoting them.")
    articles: str = Field(description="Articles quoting them, through the API.")


class PersonPage(Page):
    results: list[Person]


class IngestResult(Schema):
    id: int
    status: str = Field(description="Always draft: nothing sent through the API is published.")
    headline: str
    admin_url: str = Field(description="Where an editor reviews the draft.")
    quotes: int = Field(description="Quotes found, each with its speaker.")
    tags: list[str]
    notes: list[str] = Field(description="What the importer could not settle by itself.")
