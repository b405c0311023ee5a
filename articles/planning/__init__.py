"""
The planning desk: what is coming, who covers it, and readers' calendars.

It owns the coverage planned for events (``models.Coverage``: a story, a live article or
pictures, each with a writer, a due time, a brief and a status), what the desk keeps
about each event beyond what readers see (``models.EventPlanning``: found in copy, the
calendar's sequence number), the actions on them (``services``: starting a piece from
its assignment, marking it filed when its article is published), the admin's planning
view and start-page dashboard (``admin``, ``views``, ``dashboard``), the public
iCalendar files (``ics``, ``calendars``), its part of the archive (``archive``) and of
the demo (``demo``). It may import the articles' models, querysets, permissions,
invalidation and archive helpers. The shared modules reach it in a few named places:
``articles.models`` and ``articles.admin`` import its models and admin at their foot,
the app's ``ready()`` its signals, the admin site its planning view and dashboard, the
public URLs its calendars, the importer and merges its ``services``, the archive and the
demo loader their parts.
"""
