"""
The writing desk: what keeps an editor's work safe, and shows it as readers will see it,
while the article form is open.

It owns the autosaves (``models.Autosave``: the text of an open form, kept per user and
article, never a revision and never public), the record of who has an article open
(``presence``), the live preview of the form's text (``preview``, through the public
page's templates, never stored), the before-publish checklist (``checklist``), the
checks on what the form's script sends (``forms``) and the admin's JSON endpoints for
all of them (``views``). It may import the articles' models, permissions, limits, diff,
markdown and page parts; the article admin imports it, never the other way round.
"""
