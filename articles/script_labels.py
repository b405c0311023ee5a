"""
The words the admin's scripts show, translated on the server.

A script cannot call gettext: each reads a ``data-labels`` attribute (JSON, from the
English text to its translation in the editor's language) on the element it works on,
and shows the English text wherever a word is missing. The texts are listed here, marked
for the catalogues, so that ``makemessages`` finds them.
"""

import json

from django.utils.translation import gettext, gettext_noop

# static/articles/desk.js, reading them from #desk on the article form.
DESK = [
    gettext_noop("the server answered {status}."),
    gettext_noop("Not autosaved: {error}"),
    gettext_noop("Draft autosaved at {time} (the article itself is not saved yet)."),
    gettext_noop("Not autosaved: the server cannot be reached. Keep this window open."),
    gettext_noop("Not discarded: {error}"),
    gettext_noop("Also open: "),
    gettext_noop("{name} (since {since})"),
    gettext_noop("Not previewed: {error}"),
    gettext_noop("Not previewed: the server cannot be reached."),
    gettext_noop("Hide preview"),
    gettext_noop("Show preview"),
]

# static/articles/desk-editing.js, the Markdown toolbar, from #desk too.
DESK_EDITING = [
    gettext_noop("Bold"),
    gettext_noop("bold text"),
    gettext_noop("Italic"),
    gettext_noop("italic text"),
    gettext_noop("Link"),
    gettext_noop("link text"),
    gettext_noop("Heading"),
    gettext_noop("List"),
    gettext_noop("Quote"),
]

# static/articles/blocks-insert.js, from #desk too.
BLOCKS_INSERT = [
    gettext_noop("Close"),
    gettext_noop("Insert a pull quote"),
    gettext_noop(
        "This article has no quotes yet: add one under “Quotes” below, with its position."
    ),
    gettext_noop("Insert an embed"),
    gettext_noop("Address (YouTube, Vimeo, Bluesky, Mastodon, X, or a PDF) "),
    gettext_noop("Insert embed"),
    gettext_noop("Paste the https address of the video, post or document."),
    gettext_noop("Find in the picture library "),
    gettext_noop("Alt text, caption or credit"),
    gettext_noop("More pictures"),
    gettext_noop("The library could not be searched."),
    gettext_noop("No alt text yet"),
    gettext_noop("{count} picture"),
    gettext_noop("{count} pictures"),
    gettext_noop(", more below"),
    gettext_noop("No picture matches."),
    gettext_noop("The library could not be searched; try again."),
    gettext_noop("Insert a picture"),
    gettext_noop("Size "),
    gettext_noop("Inline (the text's width)"),
    gettext_noop("Wide"),
    gettext_noop("Full width"),
    gettext_noop("Caption (optional, instead of the library's) "),
    gettext_noop("Insert a gallery"),
    gettext_noop("Insert gallery"),
    gettext_noop("Chosen, in this order: "),
    gettext_noop("Choose two pictures or more, in the order readers will see them."),
    gettext_noop("Insert"),
    gettext_noop("Insert:"),
    gettext_noop("Pull quote"),
    gettext_noop("Embed"),
    gettext_noop("Picture"),
    gettext_noop("Gallery"),
    gettext_noop(
        "You may not search the media library. Type “::: {kind} 12” with a picture number."
    ),
]

# All three scripts of the article form share #desk's labels.
ARTICLE_FORM = [*DESK, *DESK_EDITING, *BLOCKS_INSERT]

# static/articles/media/chooser.js, reading them from the lead image's select.
PICTURE_CHOOSER = [
    gettext_noop("Search the library: alt text, caption, credit"),
    gettext_noop("Search the picture library"),
    gettext_noop("No lead image"),
    gettext_noop("The search failed."),
    gettext_noop("No picture matches."),
    gettext_noop("The library could not be searched; try again."),
    gettext_noop("No alt text"),
    gettext_noop("No alt text yet"),
]


def as_json(texts):
    """``texts`` and their translations in the active language, for a data-labels attribute."""
    return json.dumps({text: gettext(text) for text in texts}, ensure_ascii=False)
