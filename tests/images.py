"""Test pictures made on the fly with Pillow."""

import io

from PIL import Image


def png_bytes(width=64, height=48, color=(155, 28, 28)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()
