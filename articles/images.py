"""
Lead images: only real pictures are accepted, metadata (GPS included) never reaches
storage, and the renditions readers download are made once, at upload.

Everything is written through Django's storage API, so an S3-compatible store can
replace the local disk by configuration alone.
"""

import io
import posixpath
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 60-megapixel camera; anything larger is refused unopened
MASTER_MAX_SIZE = 2400  # the stored original, metadata stripped, at most this wide or high
RENDITION_WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 82
WEBP_QUALITY = 80


def open_picture(uploaded):
    """
    Decode an upload with Pillow and return the image, or raise ValidationError with
    a message an editor understands. The file's name and declared type are ignored.
    """
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {size / 1024 / 1024:.0f} MB; pictures may be at most "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded, formats=ACCEPTED_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    f"This picture has too many pixels ({image.width} × {image.height}); "
                    f"the limit is {MAX_PIXELS // 1_000_000} megapixels."
                )
            if image.format == "JPEG":
                # Decode no larger than needed: far faster and lighter for camera files.
                scale = min(1, MASTER_MAX_SIZE / max(image.size))
                image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            f"This picture has too many pixels to be opened safely; the limit is "
            f"{MAX_PIXELS // 1_000_000} megapixels."
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            "This file is not a JPEG, PNG, WebP or GIF picture (SVG and other formats are "
            "not accepted)."
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This picture is damaged or incomplete and cannot be opened."
        ) from error
    return image


def prepare(image):
    """Upright, one frame, RGB or RGBA, at most MASTER_MAX_SIZE: no metadata survives."""
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # an animated GIF becomes its first frame
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MASTER_MAX_SIZE, MASTER_MAX_SIZE), Image.Resampling.LANCZOS)
    # A fresh image carries pixels only: no EXIF, GPS, XMP, ICC or comments.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def encode(image, fmt):
    buffer = io.BytesIO()
    if fmt == "jpeg":
        if image.mode == "RGBA":
            flattened = Image.new("RGB", image.size, "white")
            flattened.paste(image, mask=image.getchannel("A"))
            image = flattened
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt == "webp":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def rendition_widths(width):
    """The rendition widths for a picture ``width`` wide: never upscaled."""
    widths = [w for w in RENDITION_WIDTHS if w < width]
    if width <= RENDITION_WIDTHS[-1]:
        widths.append(width)
    return sorted(set(widths))


def store_picture(picture, storage=None, folder="lead-images"):
    """
    Write the stripped master and the renditions of ``picture`` (an image from
    open_picture(), or an upload to validate first).

    Returns (master name, width, height, renditions), where each rendition is a dict
    with ``name``, ``width``, ``height`` and ``format`` ("webp" or "jpeg").
    """
    storage = storage or default_storage
    if not isinstance(picture, Image.Image):
        picture = open_picture(picture)
    image = prepare(picture)
    base = posixpath.join(folder, timezone.now().strftime("%Y/%m"), uuid.uuid4().hex)
    master_format = "png" if image.mode == "RGBA" else "jpeg"
    master = storage.save(f"{base}/original.{'png' if master_format == 'png' else 'jpg'}",
                          ContentFile(encode(image, master_format)))  # fmt: skip
    renditions = []
    for width in rendition_widths(image.width):
        height = round(image.height * width / image.width)
        resized = (
            image
            if width == image.width
            else image.resize((width, height), Image.Resampling.LANCZOS)
        )
        for fmt, extension in (("webp", "webp"), ("jpeg", "jpg")):
            name = storage.save(f"{base}/{width}.{extension}", ContentFile(encode(resized, fmt)))
            renditions.append({"name": name, "width": width, "height": height, "format": fmt})
    return master, image.width, image.height, renditions


def delete_pictures(names, storage=None):
    """Remove stored files, ignoring ones already gone."""
    storage = storage or default_storage
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)
