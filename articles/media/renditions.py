"""
Crops cut around a picture's focal point: the social card, list thumbnails and squares.

The width renditions of ``articles.images`` keep the whole picture; these cut it to a
shape, centred on the focal point as far as the picture's edges allow, and are made
again (under new names, the old files removed) whenever the focal point moves.
"""

import posixpath
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from articles import images

# name: (width, height, formats). The social card is what Open Graph and JSON-LD name.
CROPS = {
    "social": (1200, 630, ("jpeg",)),
    "thumbnail": (480, 320, ("webp", "jpeg")),
    "square": (600, 600, ("webp", "jpeg")),
}
EXTENSIONS = {"jpeg": "jpg", "webp": "webp"}


def crop_box(width, height, ratio, focal_x, focal_y):
    """
    The (left, top, right, bottom) box of ``ratio`` (width / height), as large as fits in
    a ``width`` × ``height`` picture, centred on the focal point and kept inside.
    """
    crop_width = min(width, round(height * ratio))
    crop_height = min(height, round(crop_width / ratio))
    left = round(focal_x * width - crop_width / 2)
    top = round(focal_y * height - crop_height / 2)
    left = max(0, min(left, width - crop_width))
    top = max(0, min(top, height - crop_height))
    return left, top, left + crop_width, top + crop_height


def cut(image, target_width, target_height, focal_x, focal_y):
    """``image`` cut around the focal point to the target's shape; never enlarged."""
    box = crop_box(image.width, image.height, target_width / target_height, focal_x, focal_y)
    cropped = image.crop(box)
    if cropped.width > target_width:
        size = (target_width, round(target_width * cropped.height / cropped.width))
        cropped = cropped.resize(size, Image.Resampling.LANCZOS)
    return cropped


def make_crops(master_name, focal_x, focal_y, storage=None, image=None):
    """
    Store every crop of the picture stored as ``master_name`` (or of ``image``, already
    prepared) and return them: ``{crop: [{name, width, height, format}, ...]}``.
    """
    storage = storage or default_storage
    if image is None:
        with storage.open(master_name, "rb") as opened:
            image = images.prepare(Image.open(opened))
    folder = posixpath.dirname(master_name)
    token = uuid.uuid4().hex[:8]  # a new name for each focal point: caches never go stale
    crops = {}
    for crop, (width, height, formats) in CROPS.items():
        piece = cut(image, width, height, focal_x, focal_y)
        crops[crop] = []
        for fmt in formats:
            name = storage.save(
                f"{folder}/{crop}-{token}.{EXTENSIONS[fmt]}",
                ContentFile(images.encode(piece, fmt)),
            )
            crops[crop].append(
                {"name": name, "width": piece.width, "height": piece.height, "format": fmt}
            )
    return crops
