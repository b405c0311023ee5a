"""
Blocks in an article's body: pictures, galleries, pull quotes and embeds.

An editor places one on a line of its own, ``::: <kind> <arguments>`` (see README,
“Pictures, pull quotes and embeds in the body”); ``articles.markdown`` finds the lines,
and this package says what each kind means. ``registry`` holds the kinds, ``kinds`` the
four the newsroom has, ``pictures`` the one seam where the media library's pictures come
in, and ``body`` renders a whole body (for the page, the feeds and the API) and keeps it
fresh when what a block shows changes.

It may import the models, ``articles.markdown`` and ``articles.embeds``; nothing here
imports the views or the admin.
"""
