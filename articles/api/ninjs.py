"""
IPTC ninjs 2.1 (News in JSON): an article out, and a story in.

Out: every property the newsroom knows, in the shapes of the official schema (a test
validates against it). In: a ninjs document is checked against the official schema, then
read as the importer reads wire copy, its explicit headline, description, dateline,
subjects and events taking precedence over what the importer would guess.
"""

import json
import re
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nh3
from django.conf import settings
from django.utils import timezone, translation
from pydantic import RootModel

from articles import addresses, languages
from articles.blocks.body import public_items
from articles.structured_data import absolute

SCHEMA_PATH = Path(__file__).with_name("ninjs-schema_2.1.json")
CONTENT_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "png": "image/png"}


@cache
def official_schema():
    return json.loads(SCHEMA_PATH.read_text())


GEOJSON = "https://geojson.org/schema/GeoJSON.json#"
COMPONENT_NAMES = {"ninjsType": "NinjsType", "contactinfoType": "NinjsContactInfo"}


def openapi_components():
    """
    The official ninjs 2.1 schema as OpenAPI components, verbatim but for where its
    references point: the API documents (and tests) ninjs with the standard itself.
    """

    def moved(node):
        if isinstance(node, list):
            return [moved(item) for item in node]
        if not isinstance(node, dict):
            return node
        if node.get("$ref") == GEOJSON:
            return {"type": "object", "description": "A GeoJSON object."}
        if (ref := node.get("$ref", "")).startswith("#/$defs/"):
            node = {**node, "$ref": "#/components/schemas/" + COMPONENT_NAMES[ref[8:]]}
        return {key: moved(value) for key, value in node.items()}

    schema = official_schema()
    components = {new: moved(schema["$defs"][old]) for old, new in COMPONENT_NAMES.items()}
    root = {k: v for k, v in schema.items() if k not in {"$schema", "$id", "$defs"}}
    components["NinjsItem"] = moved(root)
    return components


NINJS_REF = {"$ref": "#/components/schemas/NinjsItem"}


class NinjsItem(RootModel[dict[str, Any]]):
    """A news item in IPTC ninjs 2.1: documented by the official schema (openapi_components)."""


def language_tag(code=None):
    """Django's ``en-gb`` as the BCP 47 ``en-GB`` that ninjs asks for."""
    language, _, region = (code or settings.LANGUAGE_CODE).partition("-")
    return f"{language}-{region.upper()}" if region else language


def iso(moment):
    return timezone.localtime(moment).isoformat()


def renditions(article):
    """The lead image's stored sizes, largest first; none without a picture."""
    picture = article.lead_image
    if picture is None:
        return []
    storage = picture.file.storage
    return [
        {
            "name": f"{r['width']}w-{r['format']}",
            "href": absolute(storage.url(r["name"])),
            "contenttype": CONTENT_TYPES.get(r["format"], f"image/{r['format']}"),
            "width": r["width"],
            "height": r["height"],
        }
        for r in sorted(picture.renditions, key=lambda r: (-r["width"], r["format"]))
    ]


def article_to_ninjs(article):
    """
    The article as ninjs 2.1, in its language; expects with_public_relations() prefetches,
    and its translations as ``public_translations`` where they are to be associated.
    Its tags', speakers' and events' pages are given in its language: they exist there,
    since it is on them (the API's own addresses have no language).
    """
    language = article.language if article.language in languages.codes() else None
    with translation.override(language or languages.default()):
        return _item(article)


def _item(article):
    text = HtmlText.words(article.body_html)
    item = {
        "uri": absolute(article.get_absolute_url()),
        "type": "text",
        "representationtype": "full",
        "version": str(article.edit_version),
        "firstcreated": iso(article.published_at or article.created_at),
        "versioncreated": iso(max(article.updated_at, article.published_at or article.updated_at)),
        "pubstatus": "usable",
        "language": language_tag(article.language),
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
                "uri": absolute(addresses.tag_url(tag.slug)),
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
            "uri": absolute(article.lead_image.file.url),
            "type": "picture",
            "renditions": pictures,
        }
        lead = article.lead_image
        if lead.alt:
            picture["descriptions"] = [{"role": "alt", "value": lead.alt}]
        if lead.caption:
            picture["headlines"] = [{"role": "caption", "value": lead.caption}]
        if lead.credit:
            picture["by"] = lead.credit
        item["associations"] = [picture]
    if blocks := block_associations(article):
        item["associations"] = item.get("associations", []) + blocks
    if translations := translation_associations(article):
        item["associations"] = item.get("associations", []) + translations
    return item


def translation_associations(article):
    """
    The same story in the site's other languages, as associated text items, each with
    its language and headline (``public_translations``, where the caller read them).
    """
    return [
        {
            "name": f"translation-{other.language}",
            "uri": absolute(other.get_absolute_url()),
            "type": "text",
            "language": language_tag(other.language),
            "headlines": [{"role": "main", "value": other.title}],
        }
        for other in getattr(article, "public_translations", ())
    ]


NINJS_TYPES = {"video": "video", "post": "text", "document": "text"}


def block_associations(article):
    """The body's embeds (and library pictures) as ninjs associations, in body order."""
    associations, counts = [], {}
    for block in public_items(article):
        if block["type"] == "embed":
            counts["embed"] = counts.get("embed", 0) + 1
            association = {
                "name": f"embed{counts['embed']}",
                "uri": block["url"],
                "type": NINJS_TYPES.get(block["kind"], "text"),
                "headlines": [{"role": "main", "value": block["title"]}],
                "infosources": [{"name": block["provider_name"], "role": "originator"}],
            }
            if block["author_name"]:
                association["by"] = block["author_name"]
            if thumbnail := block["thumbnail"]:
                association["renditions"] = [{
                    "name": "thumbnail", "href": thumbnail["src"], "contenttype": "image/jpeg",
                    "width": thumbnail["width"], "height": thumbnail["height"],
                }]  # fmt: skip
            associations.append(association)
        elif block["type"] in ("picture", "gallery") and block.get("available"):
            for picture in block.get("items") or [block]:
                counts["picture"] = counts.get("picture", 0) + 1
                associations.append(picture_association(f"picture{counts['picture']}", picture))
    return associations


def picture_association(name, picture):
    """A library picture of the body (its stored item) as a ninjs association, described
    as the lead image is."""
    association = {
        "name": name,
        "uri": picture["url"],
        "type": "picture",
        "renditions": [
            {"name": f"{r['width']}w-{r['format']}", "href": r["url"],
             "contenttype": CONTENT_TYPES.get(r["format"], f"image/{r['format']}"),
             "width": r["width"], "height": r["height"]}
            for r in picture["renditions"]
        ],
    }  # fmt: skip
    if picture["alt"]:
        association["descriptions"] = [{"role": "alt", "value": picture["alt"]}]
    if picture["caption"]:
        association["headlines"] = [{"role": "caption", "value": picture["caption"]}]
    if picture["credit"]:
        association["by"] = picture["credit"]
    return association


CLEAN_TAG = re.compile(r"<(/?)([a-z0-9]+)[^>]*>")


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
        # Parsed by html5ever (in nh3) to well-formed markup of the tags that make
        # paragraphs, then read tag by tag: Python's HTML parser takes time growing with
        # the square of the length on some malformed input (a megabyte of “&”, say).
        html = nh3.clean(html, tags=cls.BLOCKS | cls.HEADINGS | {"br"}, attributes={})
        parser = cls()
        position = 0
        for match in CLEAN_TAG.finditer(html):
            parser.handle_data(unescape(html[position : match.start()]))
            if match.group(1):
                parser.handle_endtag(match.group(2))
            else:
                parser.handle_starttag(match.group(2), [])
            position = match.end()
        parser.handle_data(unescape(html[position:]))
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
