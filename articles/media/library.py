"""Adding pictures to the library and moving their focal point: files first, then rows."""

from django.db import transaction

from articles import images
from articles.media.models import Picture
from articles.media.renditions import make_crops

FOLDER = "pictures"


def add_picture(upload, *, uploaded_by=None, save=True, storage=None, **text):
    """
    Check ``upload`` (an upload, or an image from images.open_picture), store it with
    its renditions and crops, and return its Picture. ``text`` sets alt, caption, credit,
    source and the focal point. ValidationError (nothing stored) for a bad file.
    The files are written outside any transaction: a caller whose transaction fails
    after this removes them (``images.delete_pictures(picture.files())``).
    """
    image = upload if hasattr(upload, "getpixel") else images.open_picture(upload)
    prepared = images.prepare(image)
    master, width, height, renditions = images.store_picture(prepared, storage, folder=FOLDER)
    picture = Picture(
        file=master, width=width, height=height, renditions=renditions,
        uploaded_by=uploaded_by, **text,
    )  # fmt: skip
    try:
        picture.crops = make_crops(
            master, picture.focal_x, picture.focal_y, storage=storage, image=prepared
        )
        if save:
            picture.save()
    except BaseException:
        images.delete_pictures(picture.files(), storage)
        raise
    return picture


def set_focal_point(picture, focal_x, focal_y):
    """
    Move the focal point and cut the crops again; the old crop files are removed once the
    new ones are committed. The caller saves the picture.
    """
    old = picture.crop_files()
    picture.focal_x, picture.focal_y = focal_x, focal_y
    picture.crops = make_crops(picture.file.name, focal_x, focal_y, storage=picture.file.storage)
    transaction.on_commit(lambda: images.delete_pictures(old))


def delete_files_later(picture):
    """Remove the picture's files once its deletion is committed."""
    files = picture.files()
    transaction.on_commit(lambda: images.delete_pictures(files))
