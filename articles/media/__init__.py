"""
The media library: pictures as records of their own, reusable by any number of articles.

``models`` holds ``Picture`` (the stored file, its renditions and focal crops, alt text,
caption, credit, source) and ``PictureUse`` (which article uses which picture, and how);
``renditions`` makes the focal-point crops; ``rendering`` turns a picture into
``<picture>`` markup; ``usage`` records uses; ``admin`` and ``chooser`` are the editors'
side. Decoding and the width renditions are ``articles.images``'s. This package may
import ``articles.images``, ``articles.models`` and ``articles.script_labels``; nothing
here imports views.
"""
