"""
The seam where the media library's pictures come into bodies.

``find_pictures`` answers which of the picture ids written in a body exist, as
{id: picture}, in one query however many; ``picture_item`` and ``gallery_picture_item``
describe a found picture as the body stores it (the values ``<picture>`` markup needs,
as ``articles.media.rendering`` gives them, and its renditions for the API). The other
functions answer for a body's text: which pictures it places, which of those still lack
alt text, and the text with its picture numbers changed (a restored archive's pictures
have new ids).
"""

import re

from django.utils.translation import ngettext

from articles import markdown
from articles.limits import MAX_BODY_CHARS
from articles.media.models import Picture
from articles.media.rendering import SIZES, picture_data

PICTURE_KINDS = ("picture", "gallery")


def find_pictures(ids):
    """{id: picture} for the library pictures among ``ids``: one query."""
    if not ids:
        return {}
    return {picture.pk: picture for picture in Picture.objects.filter(pk__in=ids)}


def renditions(picture):
    """The picture's stored sizes, largest first, as the API lists them."""
    storage = picture.file.storage
    return [
        {"url": storage.url(r["name"]), "width": r["width"], "height": r["height"],
         "format": r["format"]}
        for r in sorted(picture.renditions, key=lambda r: (-r["width"], r["format"]))
    ]  # fmt: skip


def described(picture):
    """What every item of a picture says of it, for the API as for the page."""
    return {
        "id": picture.pk,
        "url": picture.file.url if picture.file else "",
        "alt": picture.alt,
        "credit": picture.credit,
        "renditions": renditions(picture),
    }


def picture_item(picture, size="inline", caption="", lazy=True):
    """
    A picture block's values: the picture's own markup values (``picture_data``: srcsets,
    width, height, alt), ``sizes`` for its ``size``, whether it loads lazily, and the
    caption written in the block or else the library's.
    """
    data = picture_data(picture) or {}
    return {
        **described(picture),
        "size": size,
        "caption": caption or picture.caption,
        "sizes": SIZES.get(size, SIZES["inline"]),
        "lazy": lazy,
        "rendered": bool(data),
        **{key: data.get(key, "") for key in ("src", "jpeg_srcset", "webp_srcset")},
        "width": data.get("width", picture.width),
        "height": data.get("height", picture.height),
    }


def gallery_picture_item(picture):
    """One picture of a gallery: the focal crop made for lists (the whole picture if it
    was never cut), linked to its largest rendition for the reader who wants it whole."""
    data = picture_data(picture) or {}
    thumbnail = data.get("teaser") or {}
    jpegs = [r for r in renditions(picture) if r["format"] == "jpeg"]
    return {
        **described(picture),
        "caption": picture.caption,
        "sizes": SIZES["gallery"],
        "lazy": True,
        "rendered": bool(data),
        **{key: thumbnail.get(key, "") for key in ("src", "jpeg_srcset", "webp_srcset")},
        "width": thumbnail.get("width", picture.width),
        "height": thumbnail.get("height", picture.height),
        "full_url": jpegs[0]["url"] if jpegs else "",
    }


def placed_ids(body_items):
    """The ids of the library pictures a body's stored items show, in order, once each."""
    ids = []
    for item in body_items or []:
        if item.get("type") == "picture" and item.get("available"):
            ids.append(item["id"])
        elif item.get("type") == "gallery" and item.get("available"):
            ids.extend(picture["id"] for picture in item["items"])
    return list(dict.fromkeys(ids))


def written_ids(text):
    """The picture numbers written in the picture and gallery blocks of ``text``."""
    from articles.blocks.body import blocks_of

    if not text or markdown.BLOCK_MARKER not in text or len(text) > MAX_BODY_CHARS:
        return []  # a body past the limit is refused before its blocks matter
    blocks, _ = blocks_of(text)
    ids = []
    for block in blocks:
        if block.kind.name == "picture":
            ids.append(block.params["picture"])
        elif block.kind.name == "gallery":
            ids.extend(block.params["pictures"])
    return list(dict.fromkeys(ids))


def without_alt(text):
    """The library pictures placed in ``text`` that have no alt text yet, in body order."""
    ids = written_ids(text)
    if not ids:
        return []
    missing = set(Picture.objects.filter(pk__in=ids).without_alt().values_list("pk", flat=True))
    return [pk for pk in ids if pk in missing]


def without_alt_message(ids):
    return ngettext(
        "Picture %(numbers)s in the body has no alt text: add it to the picture in the library.",
        "Pictures %(numbers)s in the body have no alt text: add it to the picture in the library.",
        len(ids),
    ) % {"numbers": ", ".join(str(pk) for pk in ids)}


NUMBER = re.compile(r"\d+")
LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def renumber(text, new_ids):
    """
    ``text`` with the picture numbers of its picture and gallery blocks changed as
    ``new_ids`` ({old id: new id}) says; numbers it does not name, and everything else
    of the text, are left as they are.
    """
    lines = LINE_BREAK.split(text or "")  # lines at even indexes, their breaks between

    def swap(match):
        return str(new_ids.get(int(match.group()), match.group()))

    changed = False
    for directive in markdown.directives(text):
        if directive.kind not in PICTURE_KINDS:
            continue
        index = directive.line * 2
        head, _, rest = lines[index].partition(directive.kind)
        if directive.kind == "picture":
            match = NUMBER.search(rest)
            if match is None:
                continue
            rest = rest[: match.start()] + swap(match) + rest[match.end() :]
        else:
            rest = NUMBER.sub(swap, rest)
        lines[index] = head + directive.kind + rest
        changed = True
    return "".join(lines) if changed else text
