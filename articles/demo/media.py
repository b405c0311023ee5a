"""
The demo article's media in its body: two library pictures, a pull quote of one of its
quotes and a gallery, each placed after the paragraph that starts with the words given.
The pictures are drawn here (``graphic``), as the lead image is.
"""

from articles.demo.graphic import EU_BLUE, EU_GOLD, UK_BLUE, UK_RED, make_card, make_training_chart
from articles.media.library import add_picture

CREDIT = "Newsroom graphic"

PICTURES = {
    "threats": (
        lambda: make_card(
            "Beyond sanctions",
            ["Cyberattacks", "Election interference", "Disinformation"],
            EU_BLUE,
            EU_GOLD,
        ),
        "A card headed “Beyond sanctions” listing cyberattacks, election interference and "
        "disinformation.",
        "The hybrid threats the UK and the EU are tackling together.",
    ),
    "training": (
        make_training_chart,
        "A card reading “Over 120,000 Ukrainian troops trained by the UK and the EU”, "
        "through Operation INTERFLEX and the EU's military mission.",
        "Over 120,000 Ukrainian troops trained through Operation INTERFLEX and the EU's "
        "Military Advisory Mission.",
    ),
    "london": (
        lambda: make_card("18 March", ["London talks", "Kallas, Lammy, Healey"], UK_BLUE, UK_RED),
        "A card reading “18 March: London talks, Kallas, Lammy, Healey”.",
        "18 March: the talks in London.",
    ),
    "summit": (
        lambda: make_card("19 May", ["UK-EU Summit", "London"], EU_BLUE, EU_GOLD),
        "A card reading “19 May: UK-EU Summit, London”.",
        "19 May: the UK-EU Summit.",
    ),
    "berlin": (
        lambda: make_card(
            "Later in 2025", ["Berlin Process Summit", "Western Balkans"], UK_BLUE, EU_GOLD
        ),
        "A card reading “Later in 2025: Berlin Process Summit, Western Balkans”.",
        "Later this year: the Berlin Process Summit, hosted by the UK.",
    ),
}

# (the paragraph a block follows starts with, the block with {picture} names filled in)
PLACES = [
    ("At the heart of these discussions?", "::: pull-quote 1"),
    ("This visit marks a significant step", "::: picture {threats}"),
    ("Military readiness is another key priority", "::: picture {training} wide"),
    ("Looking ahead, these discussions", "::: gallery {london} {summit} {berlin}"),
]


def add_body_media(article):
    """Store the pictures in the library and place the blocks in the article's body."""
    ids = {}
    for name, (draw, alt, caption) in PICTURES.items():
        ids[name] = add_picture(draw(), alt=alt, caption=caption, credit=CREDIT).pk
    paragraphs = article.body.split("\n\n")
    for start, block in reversed(PLACES):
        at = next(n for n, text in enumerate(paragraphs) if text.startswith(start))
        paragraphs.insert(at + 1, block.format(**ids))
    article.body = "\n\n".join(paragraphs)
    article.save()
