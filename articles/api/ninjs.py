"""
IPTC ninjs 2.1 (News in JSON): an article out, and a story in.

Out: every property the newsroom knows, in the shapes of the official schema (a test
validates against it). In: a ninjs document is checked against the official schema, then
read as the importer reads wire copy, its explicit headline, description, dateline,
subjects and events taking precedence over what the importer would guess.
"""

import datetime
import json
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from ninja import Schema
from pydantic import ConfigDict, Field

from articles.structured_data import absolute

SCHEMA_PATH = Path(__file__).with_name("ninjs-schema_2.1.json")
CONTENT_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "png": "image/png"}


class NinjsText(Schema):
    role: str | None = None
    contenttype: str | None = None
    value: str


class NinjsBody(NinjsText):
    charcount: int | None = None
    wordcount: int | None = None


class NinjsConcept(Schema):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None


class NinjsRendition(Schema):
    name: str
    href: str | None = None
    contenttype: str | None = None
    title: str | None = None
    width: int | None = None
    height: int | None = None


class NinjsAltId(Schema):
    role: str | None = None
    value: str | None = None


class NinjsAssociation(Schema):
    name: str
    uri: str
    type: str | None = None
    headlines: list[NinjsText] | None = None
    descriptions: list[NinjsText] | None = None
    by: str | None = None
    copyrightholder: str | None = None
    renditions: list[NinjsRendition] | None = None


class NinjsItem(Schema):
    """A news item in IPTC ninjs 2.1; only ``uri`` is required by the standard."""

    model_config = ConfigDict(extra="allow")

    uri: str = Field(description="The article's canonical URL.")
    type: str | None = Field(None, description="text")
    representationtype: str | None = None
    version: str | None = None
    firstcreated: datetime.datetime | None = None
    versioncreated: datetime.datetime | None = None
    pubstatus: str | None = None
    language: str | None = None
    headlines: list[NinjsText] | None = None
    descriptions: list[NinjsText] | None = None
    bodies: list[NinjsBody] | None = None
    by: str | None = None
    located: str | None = None
    copyrightholder: str | None = None
    subjects: list[NinjsConcept] | None = None
    people: list[NinjsConcept] | None = None
    events: list[NinjsConcept] | None = None
    renditions: list[NinjsRendition] | None = None
    associations: list[NinjsAssociation] | None = None
    altids: list[NinjsAltId] | None = None


@cache
def official_schema():
    return json.loads(SCHEMA_PATH.read_text())


def language_tag(code=None):
    """Django's ``en-gb`` as the BCP 47 ``en-GB`` that ninjs asks for."""
    language, _, region = (code or settings.LANGUAGE_CODE).partition("-")
    return f"{language}-{region.upper()}" if region else language


def iso(moment):
    return timezone.localtime(moment).isoformat()


def renditions(article):
    """The lead image's stored sizes, largest first; none without a picture."""
    if not article.lead_image:
        return []
    storage = article.lead_image.storage
    return [
        {
            "name": f"{r['width']}w-{r['format']}",
            "href": absolute(storage.url(r["name"])),
            "contenttype": CONTENT_TYPES.get(r["format"], f"image/{r['format']}"),
            "width": r["width"],
            "height": r["height"],
        }
        for r in sorted(article.lead_image_renditions, key=lambda r: (-r["width"], r["format"]))
    ]


def article_to_ninjs(article):
    """The article as ninjs 2.1; expects with_public_relations() prefetches."""
    text = HtmlText.words(article.body_html)
    item = {
        "uri": absolute(article.get_absolute_url()),
        "type": "text",
        "representationtype": "full",
        "version": str(article.edit_version),
        "firstcreated": iso(article.published_at or article.created_at),
        "versioncreated": iso(max(article.updated_at, article.published_at or article.updated_at)),
        "pubstatus": "usable",
        "language": language_tag(),
        "copyrightholder": settings.SITE_NAME,
        "headlines": [{"role": "main", "value": article.title}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": article.body_html,
                "charcount": len(text),
                "wordcount": len(text.split()),
            }
        ],
        "subjects": [
            {
                "name": tag.name,
                "rel": "about",
                "uri": absolute(f"/tags/{tag.slug}/"),
                "literal": tag.slug,
            }
            for tag in article.tags.all()
        ],
        "altids": [{"role": "internal", "value": str(article.pk)}],
    }
    if article.standfirst:
        item["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": article.standfirst}
        ]
    if byline := article.byline:
        item["by"] = byline
    if article.dateline:
        item["located"] = article.dateline
    speakers = {}
    for quote in article.quotes.all():
        speakers.setdefault(quote.speaker_id, quote.speaker)
    if speakers:
        item["people"] = [
            {
                "name": person.name,
                "rel": "quoted",
                "uri": absolute(person.get_absolute_url()),
                "literal": person.slug,
            }
            for person in speakers.values()
        ]
    if links := list(article.event_links.all()):
        item["events"] = [
            {
                "name": link.event.name,
                "rel": link.kind,
                "uri": absolute(link.event.get_absolute_url()),
                "literal": link.event.slug,
            }
            for link in links
        ]
    if pictures := renditions(article):
        item["renditions"] = pictures
        picture = {
            "name": "leadimage",
            "uri": absolute(article.lead_image.storage.url(article.lead_image.name)),
            "type": "picture",
            "renditions": pictures,
        }
        if article.lead_image_alt:
            picture["descriptions"] = [{"role": "alt", "value": article.lead_image_alt}]
        if article.lead_image_caption:
            picture["headlines"] = [{"role": "caption", "value": article.lead_image_caption}]
        if article.lead_image_credit:
            picture["by"] = article.lead_image_credit
        item["associations"] = [picture]
    return item


class HtmlText(HTMLParser):
    """HTML as the importer's plain text: a paragraph per block, ``## `` before headings."""

    BLOCKS = {"p", "div", "li", "blockquote", "pre", "tr", "section", "article", "figcaption"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.current, self.skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        elif tag in self.BLOCKS | self.HEADINGS or tag == "br":
            self.flush()
            if tag in self.HEADINGS:
                self.current.append("## ")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS | self.HEADINGS:
            self.flush()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text and text != "##":
            self.blocks.append(text)
        self.current = []

    @classmethod
    def paragraphs(cls, html):
        parser = cls()
        parser.feed(html)
        parser.close()
        parser.flush()
        return parser.blocks

    @classmethod
    def words(cls, html):
        return " ".join(block.removeprefix("## ") for block in cls.paragraphs(html))


def validation_problems(document):
    """What makes ``document`` invalid ninjs 2.1, as readable lines (none if it is valid)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import relevance
    from referencing import Registry, Resource

    # The one external reference (GeoJSON for places) is accepted as any object rather
    # than fetched: validating a request never reaches out to the network.
    geojson = Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}
    )
    registry = Registry().with_resource("https://geojson.org/schema/GeoJSON.json", geojson)
    validator = Draft202012Validator(official_schema(), registry=registry)
    problems = []
    for problem in sorted(validator.iter_errors(document), key=relevance)[:10]:
        where = "/".join(str(part) for part in problem.absolute_path) or "the document"
        problems.append(f"{where}: {problem.message[:300]}")
    return problems


def first_value(items, role="main"):
    """The value with ``role`` in a list of ninjs headlines/descriptions/bodies, else the first."""
    items = [item for item in items or [] if isinstance(item, dict) and item.get("value")]
    chosen = next((item for item in items if item.get("role") == role), items[0] if items else None)
    return chosen


def ninjs_to_text(document):
    """The story as the importer's plain text: headline, description, then the body."""
    headline = first_value(document.get("headlines"))
    if headline is None:
        return None, None, ""
    title = " ".join(headline["value"].split())
    description = first_value(document.get("descriptions"), role="summary")
    standfirst = " ".join(description["value"].split()) if description else ""
    body = first_value(document.get("bodies"))
    paragraphs = []
    if body is not None:
        if "html" in (body.get("contenttype") or "").lower():
            paragraphs = HtmlText.paragraphs(body["value"])
        else:
            paragraphs = [body["value"]]
    # The importer takes a long first line for the start of the story: give it a short one.
    first_line = title.replace(". ", ", ").replace("! ", ", ").replace("? ", ", ")[:150]
    text = "\n\n".join([first_line, standfirst, *paragraphs])
    return title, standfirst, text
