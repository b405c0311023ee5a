"""
Embeds: a video, a social post or a PDF document shown inside a story, privately.

``providers`` recognises the addresses the newsroom embeds and says where each provider's
frame and oEmbed endpoint are; ``fetch`` asks the endpoint once, at save time, for the
title, author and thumbnail (copied into our own storage); ``models`` keeps the record.
Readers get a click-to-load placeholder (``static/articles/embeds.js``): nothing reaches
the provider until they choose to load it.

It may import ``articles.images``; the body's blocks (``articles.blocks``) import it.
"""
