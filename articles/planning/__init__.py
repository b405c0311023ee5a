"""
The planning desk: what is coming, who covers it, and readers' calendars.

It owns the coverage planned for events (``models.Coverage``: a story, a live article or
pictures, each with a writer, a due time, a brief and a status), what the desk keeps
about each event beyond what readers see (``models.EventPlanning``: found in copy, the
calendar's sequence number), the actions on them (``services``: starting a piece from
its assignment, marking it filed when its article is published), the admin's planning
view and start-page dashboard (``admin``, ``views``, ``dashboard``) and the public
iCalendar files (``ics``, ``calendars``). It may import the articles' models, querysets,
permissions and invalidation; the shared modules import it only through ``services``
(the importer, merges) and at the bottom of ``articles.models`` and ``articles.admin``.
"""
