"""The demo article's lead image: a graphic drawn here, so no photograph is borrowed."""

import math

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 900
EU_BLUE = (0, 51, 153)
EU_GOLD = (255, 204, 0)
UK_RED = (200, 16, 46)
UK_BLUE = (1, 33, 105)
WHITE = (255, 255, 255)


def star(draw, centre, radius, fill):
    """A five-pointed star."""
    cx, cy = centre
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=fill)


def make_graphic():
    """A ring of twelve gold stars on blue beside red, white and blue bands, with a title."""
    image = Image.new("RGB", (WIDTH, HEIGHT), EU_BLUE)
    draw = ImageDraw.Draw(image)
    # Red, white and blue bands on the right, as a nod to the Union flag.
    draw.polygon([(1000, 0), (WIDTH, 0), (WIDTH, HEIGHT), (760, HEIGHT)], fill=UK_BLUE)
    draw.polygon([(1090, 0), (1180, 0), (940, HEIGHT), (850, HEIGHT)], fill=WHITE)
    draw.polygon([(1115, 0), (1155, 0), (915, HEIGHT), (875, HEIGHT)], fill=UK_RED)
    for n in range(12):
        angle = n * math.pi / 6
        star(draw, (480 + 230 * math.cos(angle), 400 + 230 * math.sin(angle)), 34, EU_GOLD)
    # The font Pillow ships has no en dash, hence the hyphen.
    font = ImageFont.load_default(size=64)
    small = ImageFont.load_default(size=36)
    draw.text((80, 720), "UK-EU talks", font=font, fill=WHITE)
    draw.text((82, 800), "London · 18 March", font=small, fill=EU_GOLD)
    return image


def make_card(heading, lines, background, accent, size=(1200, 800)):
    """A plain card: a coloured field, an accent band, a heading and a few lines of text."""
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    draw.rectangle([(0, height - 40), (width, height)], fill=accent)
    draw.rectangle([(60, 90), (75, 90 + 110 + 70 * len(lines))], fill=accent)
    draw.text((110, 80), heading, font=ImageFont.load_default(size=72), fill=WHITE)
    body = ImageFont.load_default(size=40)
    for n, line in enumerate(lines):
        draw.text((112, 200 + 70 * n), line, font=body, fill=WHITE)
    return image


def make_training_chart():
    """The article's figure, large: over 120,000 Ukrainian troops trained."""
    image = make_card("Over 120,000", ["Ukrainian troops trained by the UK and the EU"],
                      UK_BLUE, UK_RED, size=(1600, 900))  # fmt: skip
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    draw.text((112, 420), "Operation INTERFLEX (UK)", font=font, fill=EU_GOLD)
    draw.text((112, 480), "EU Military Advisory Mission to Ukraine", font=font, fill=EU_GOLD)
    return image
