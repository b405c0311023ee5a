"""
Translations on the editors' side: who may write in which language (``models``,
``rules``), making a translation from its original and keeping it up to date
(``services``), and the admin's part in it (``admin``: the article's translation group,
the language field, the vocabulary's fields per language).

It may import ``articles.models``, ``articles.languages``, ``articles.permissions`` and
``articles.diff``; the article admin imports it, never the other way round.
"""
