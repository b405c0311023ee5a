"""
The seam where the media library's pictures come into bodies.

``find_pictures`` is the one hook: it answers which of the picture ids written in a body
exist, as {id: picture}. Until the library is installed it knows none, so a picture or
gallery block is refused with a clear message when an editor saves, and a body that has
one anyway (saved before, or sent by the API) shows readers “Picture not available”.

When the library lands: make ``find_pictures`` read its pictures (one query for all the
ids), and register ``PictureBlock``/``GalleryBlock`` subclasses whose ``picture_item``
describes a found picture (its renditions, srcset, width and height, alt, caption, credit).
"""


def find_pictures(ids):
    """{id: picture} for the library pictures among ``ids``: none yet (no library)."""
    return {}
