"""
The writing desk: what keeps an editor's work safe while the article form is open.

It owns the autosaves (``models.Autosave``: the text of an open form, kept per user and
article, never a revision and never public), the record of who has an article open
(``presence``), the checks on what the form's script sends (``forms``) and the admin's
JSON endpoints for both (``views``). It may import the articles' models, permissions,
limits and diff; the article admin imports it, never the other way round.
"""
