"""
Live coverage: an article that runs as a story unfolds, with short timestamped updates.

A live article is an ``Article`` like any other (tags, events, authors, corrections),
with a ``LiveCoverage`` row saying it is live or closed, when coverage began and ended,
and the summary written at the top once it closed. Its ``LiveUpdate`` rows are the
updates: a time, an author, Markdown text rendered by the body's pipeline, the key-event
and pinned flags, and the same ``Quote`` records as the body's (``Quote.update``), so
that speaker and event pages show what was said live.

This package owns the models, the rules of who may post (``permissions``), the actions
(``services``: ``make_live``, ``close``, ``post_update``...), what readers see (``views``,
``feeds``, ``structured_data``) and the admin's quick-post desk (``admin``, ``forms``).
It may import the articles' models, permissions, markdown, invalidation and page parts;
the rest of the app imports only ``models``, ``services`` and what its templates name.
"""
