"""
A library picture as readers get it: ``<picture>`` with WebP and JPEG srcsets, its
size (no layout shift) and lazy loading, from the renditions stored at upload.
"""

from django.template.loader import render_to_string

# How wide the picture is drawn on the page, for the browser to pick a rendition.
SIZES = {
    "inline": "(min-width: 44rem) 42rem, 100vw",
    "wide": "(min-width: 64rem) 60rem, 100vw",
    "full": "100vw",
    "teaser": "(min-width: 40rem) 12rem, 30vw",
    # A gallery's pictures: two or three across the article's column.
    "gallery": "(min-width: 44rem) 14rem, 50vw",
}


def srcset(storage, renditions, fmt):
    return ", ".join(
        f"{storage.url(r['name'])} {r['width']}w" for r in renditions if r["format"] == fmt
    )


def picture_data(picture):
    """
    What ``<picture>`` markup needs, or None without renditions: ``webp_srcset``,
    ``jpeg_srcset``, ``src`` (a JPEG fallback), ``thumbnail``, ``width``, ``height``,
    ``alt``, ``caption``, ``credit``, ``social`` (the 1200 × 630 card, else the
    largest JPEG) and ``teaser`` (the same keys for the focal thumbnail crop).
    """
    if picture is None or not picture.renditions:
        return None
    storage = picture.file.storage
    jpegs = [r for r in picture.renditions if r["format"] == "jpeg"]
    fallback = min(jpegs, key=lambda r: abs(r["width"] - 960))
    smallest = min(jpegs, key=lambda r: r["width"])
    largest = max(jpegs, key=lambda r: r["width"])
    data = {
        "webp_srcset": srcset(storage, picture.renditions, "webp"),
        "jpeg_srcset": srcset(storage, picture.renditions, "jpeg"),
        "src": storage.url(fallback["name"]),
        "thumbnail": storage.url(smallest["name"]),
        "width": picture.width,
        "height": picture.height,
        "alt": picture.alt,
        "caption": picture.caption,
        "credit": picture.credit,
        "social": storage.url(largest["name"]),
        "social_width": largest["width"],
        "social_height": largest["height"],
    }
    crops = picture.crops or {}
    if social := crops.get("social"):
        data["social"] = storage.url(social[0]["name"])
        data["social_width"], data["social_height"] = social[0]["width"], social[0]["height"]
    data["teaser"] = crop_data(storage, crops.get("thumbnail"), picture.alt) or data
    data["square"] = crop_data(storage, crops.get("square"), picture.alt)
    return data


def crop_data(storage, crop, alt):
    """A focal crop's markup values (one size, both formats), or None if it was not made."""
    jpeg = next((r for r in crop or [] if r["format"] == "jpeg"), None)
    if jpeg is None:
        return None
    return {
        "webp_srcset": srcset(storage, crop, "webp"),
        "jpeg_srcset": srcset(storage, crop, "jpeg"),
        "src": storage.url(jpeg["name"]),
        "thumbnail": storage.url(jpeg["name"]),
        "width": jpeg["width"],
        "height": jpeg["height"],
        "alt": alt,
    }


def picture_html(picture, size="inline", lazy=True):
    """
    ``picture`` (a Picture) as ``<picture>`` markup: srcsets, ``sizes`` for ``size``
    ("inline", "wide" or "full"), width and height, and ``loading="lazy"`` unless
    ``lazy`` is False (a picture at the top of the page). Empty without renditions.
    """
    data = picture_data(picture)
    if data is None:
        return ""
    context = {"picture": data, "sizes": SIZES.get(size, SIZES["inline"]), "lazy": lazy}
    return render_to_string("includes/picture.html", context)
