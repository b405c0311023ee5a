"""Test pictures made on the fly with Pillow."""

import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture_bytes(fmt="PNG", size=(64, 48), color=(155, 28, 28), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def png_bytes(width=64, height=48, color=(155, 28, 28)):
    return picture_bytes("PNG", (width, height), color)


def jpeg_with_gps(size=(800, 600), orientation=None):
    """A JPEG carrying a camera make, GPS coordinates and, optionally, an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Co"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (51.0, 30.0, 26.0)  # latitude: London
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    if orientation:
        exif[ORIENTATION] = orientation
    image = Image.new("RGB", size, (30, 90, 160))
    image.paste((240, 200, 0), (0, 0, size[0] // 2, size[1] // 4))  # a mark to find the top
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def animated_gif():
    frames = [Image.new("P", (120, 80), color) for color in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def decompression_bomb():
    """A tiny PNG that claims 400 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
