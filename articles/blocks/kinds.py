"""The newsroom's four kinds of block: pull quote, embed, picture and gallery."""

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.blocks import pictures
from articles.blocks.registry import BlockError, BlockKind, register
from articles.embeds import providers
from articles.embeds.models import Embed


class PullQuoteBlock(BlockKind):
    """
    ``::: pull-quote 2``: the article's own quote at position 2, shown large in the story
    with its speaker (a link to their page) and the role they spoke in. Named by position,
    as the form numbers the quotes, so it stays the speaker's words however they change.
    """

    name, item_type = "pull-quote", "pull_quote"
    usage = _("::: pull-quote 2 (the position of one of this article's quotes)")

    def parse(self, arguments):
        words = self.words(arguments)
        position = self.number(words[0]) if len(words) == 1 else None
        if position is None or position >= 10_000:
            raise BlockError(self.write_it_as())
        return {"position": position}

    def load(self, blocks, article, fetch):
        return {quote.position: quote for quote in article_quotes(article)}

    def problem(self, block, found):
        if block.params["position"] not in found:
            numbers = ", ".join(str(p) for p in sorted(found)) or gettext("none yet")
            return gettext(
                "this article has no quote at position %(position)s (its quotes: %(numbers)s). "
                "Add the quote below, or change the number."
            ) % {"position": block.params["position"], "numbers": numbers}
        return None

    def item(self, block, found):
        position = block.params["position"]
        quote = found.get(position)
        if quote is None:
            return {"type": self.item_type, "position": position, "available": False}
        speaker = quote.speaker
        return {
            "type": self.item_type,
            "position": position,
            "available": True,
            "text": quote.text,
            "role": quote.role,
            "speaker": {
                "name": speaker.name,
                "slug": speaker.slug,
                "url": speaker.get_absolute_url(),
            },
        }


def article_quotes(article):
    """The article's quotes with their speakers: prefetched ones (a preview's), or read."""
    prefetched = getattr(article, "_prefetched_objects_cache", {})
    if "quotes" in prefetched:
        return list(prefetched["quotes"])
    if article.pk is None:
        return []
    return list(article.quotes.select_related("speaker"))


class EmbedBlock(BlockKind):
    """``::: embed https://...``: a video, post or PDF, as a click-to-load placeholder."""

    name, item_type = "embed", "embed"
    usage = "::: embed https://www.youtube.com/watch?v=…"

    def parse(self, arguments):
        words = arguments.split()
        if len(words) != 1:
            raise BlockError(
                gettext("write it as “%(usage)s”, the address alone") % {"usage": self.usage}
            )
        try:
            providers.recognise(words[0])
        except providers.UnknownEmbed as error:
            raise BlockError(str(error)) from error
        return {"url": words[0]}

    def load(self, blocks, article, fetch):
        found = Embed.objects.for_urls([block.params["url"] for block in blocks], create=fetch)
        # What the providers of embeds recorded now could not say, for the editor saving.
        problems = getattr(article, "embed_problems", None)
        if problems is None:
            problems = article.embed_problems = {}
        for embed in found.values():
            if getattr(embed, "recorded_now", False) and embed.fetch_problem:
                problems[embed.url] = embed.fetch_problem
        return found

    def item(self, block, found):
        return found[block.params["url"]].item()


class PictureBlock(BlockKind):
    """``::: picture 12 wide "Caption"``: a library picture, inline, wide or full width."""

    name, item_type = "picture", "picture"
    SIZES = ("inline", "wide", "full")
    usage = _('::: picture 12 wide "A caption" (size inline, wide or full; caption optional)')

    def parse(self, arguments):
        words = self.words(arguments)
        picture = self.number(words[0]) if words else None
        if picture is None:
            raise BlockError(self.write_it_as())
        params = {"picture": picture, "size": "inline", "caption": ""}
        for word in words[1:]:
            if word in self.SIZES and params["size"] == "inline" and word != "inline":
                params["size"] = word
            elif word == "inline":
                continue
            elif not params["caption"]:
                params["caption"] = " ".join(word.split())[:500]
            else:
                raise BlockError(
                    gettext("write it as “%(usage)s”, the caption in quotation marks")
                    % {"usage": self.usage}
                )
        return params

    def load(self, blocks, article, fetch):
        return pictures.find_pictures({block.params["picture"] for block in blocks})

    def problem(self, block, found):
        if block.params["picture"] not in found:
            return gettext("there is no picture %(number)s in the media library.") % {
                "number": block.params["picture"]
            }
        return None

    def item(self, block, found):
        picture = found.get(block.params["picture"])
        if picture is None:
            return {"type": self.item_type, **block.params, "available": False}
        params = block.params
        # The first thing of a body may be in view at once: loaded straight away.
        lazy = block.line > 0
        return {
            "type": self.item_type,
            "picture": params["picture"],
            "available": True,
            **pictures.picture_item(picture, params["size"], params["caption"], lazy=lazy),
        }


class GalleryBlock(PictureBlock):
    """``::: gallery 12 14 15``: several library pictures, in that order."""

    name, item_type = "gallery", "gallery"
    MAX_PICTURES = 24
    usage = format_lazy(
        _("::: gallery 12 14 15 (from two to {limit} picture numbers)"), limit=MAX_PICTURES
    )

    def parse(self, arguments):
        words = self.words(arguments)
        numbers = [self.number(word) for word in words]
        if len(words) < 2 or None in numbers:
            raise BlockError(self.write_it_as())
        if len(words) > self.MAX_PICTURES:
            raise BlockError(
                gettext(
                    "a gallery shows at most %(limit)s pictures; this one names %(count)s. "
                    "Split it in two."
                )
                % {"limit": self.MAX_PICTURES, "count": len(words)}
            )
        return {"pictures": numbers}

    def load(self, blocks, article, fetch):
        return pictures.find_pictures({pk for b in blocks for pk in b.params["pictures"]})

    def problem(self, block, found):
        missing = [str(pk) for pk in block.params["pictures"] if pk not in found]
        if missing:
            return gettext("the media library has no picture %(numbers)s.") % {
                "numbers": ", ".join(missing)
            }
        return None

    def item(self, block, found):
        shown = [found[pk] for pk in block.params["pictures"] if pk in found]
        item = {
            "type": self.item_type,
            "pictures": block.params["pictures"],
            "available": len(shown) == len(block.params["pictures"]),
        }
        if item["available"]:
            item["items"] = [pictures.gallery_picture_item(picture) for picture in shown]
        return item


for kind in (PictureBlock(), GalleryBlock(), PullQuoteBlock(), EmbedBlock()):
    register(kind)
