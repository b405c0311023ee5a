"""Atom feeds: the latest articles, and the latest on one tag or one event."""

import re
from collections import defaultdict
from xml.sax.saxutils import escape as escape_xml
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, get_tag_uri, rfc3339_date
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.xmlutils import UnserializableContentError
from taggit.models import Tag

from articles.invalidation import key_for, show
from articles.models import Article, Event, joined_names
from articles.querysets import listed_tags
from articles.text import without_control_characters


class AtomFeed(Atom1Feed):
    """
    Atom1Feed, each entry written as one string: the same XML (the same elements,
    attributes, escaping and checks), but not one call of the SAX writer per element,
    attribute and text, which was a third of a feed's time. Writes what the feeds below
    give an entry; anything else an entry had would be left out, so it is refused.
    """

    WRITTEN = {
        "title", "link", "description", "unique_id", "pubdate", "updateddate",
        "author_name", "categories",
    }  # fmt: skip

    def add_item(self, **fields):
        unwritten = {key for key, value in fields.items() if value} - self.WRITTEN
        if unwritten:
            raise ValueError(f"AtomFeed does not write {', '.join(sorted(unwritten))}.")
        super().add_item(**fields)

    def write_items(self, handler):
        # The entries' markup, escaped here, goes out as it is.
        handler.ignorableWhitespace("".join(map(self.entry_xml, self.items)))

    @staticmethod
    def entry_xml(item):
        """What Atom1Feed.add_item_elements() writes for the fields in WRITTEN."""
        link = quoteattr(xml_text(item["link"]))
        parts = ["<entry>", element("title", item["title"]), f'<link href={link} rel="alternate"/>']
        if item["pubdate"] is not None:
            parts.append(element("published", rfc3339_date(item["pubdate"])))
        if item["updateddate"] is not None:
            parts.append(element("updated", rfc3339_date(item["updateddate"])))
        if item["author_name"] is not None:
            parts.append(f"<author>{element('name', item['author_name'])}</author>")
        unique_id = item["unique_id"]
        if unique_id is None:
            unique_id = get_tag_uri(item["link"], item["pubdate"])
        parts.append(element("id", unique_id))
        if item["description"] is not None:
            parts.append(element("summary", item["description"], ' type="html"'))
        parts.extend(f"<category term={quoteattr(xml_text(term))}/>" for term in item["categories"])
        parts.append("</entry>")
        return "".join(parts)


XML_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


def xml_text(value):
    """``value``, which XML 1.0 can carry: what SimplerXMLGenerator checks, and refuses."""
    if value and XML_CONTROL_CHARACTERS.search(value):
        raise UnserializableContentError
    return value


def element(name, text, attributes=""):
    """``<name>text</name>``, or ``<name/>`` without text, as the SAX writer writes them."""
    if not text:
        return f"<{name}{attributes}/>"
    return f"<{name}{attributes}>{escape_xml(xml_text(text))}</{name}>"


class LatestArticlesFeed(Feed):
    feed_type = AtomFeed
    limit = 30

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest"

    def link(self, obj=None):
        return "/"

    def subtitle(self, obj=None):
        return f"The latest articles from {settings.SITE_NAME}."

    def __call__(self, request, *args, **kwargs):
        # What Feed.__call__ does, but with the XML written to a string, then sent as one
        # piece: written into the response, it went there in a thousand small writes (each
        # encoded on its own), which the server would also send as a thousand packets.
        obj = self.get_object(request, *args, **kwargs)
        feed = self.get_feed(obj, request)
        response = HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)
        response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
        return response

    def get_feed(self, obj, request):
        """
        The feed, filled as Feed.get_feed() fills it, calling the methods below directly:
        Feed looks up each of some twenty optional ``item_*`` attributes for each entry
        (whether defined, how many arguments) and that, rather than the entries
        themselves, was most of a feed's time.
        """
        domain, secure = get_current_site(request).domain, request.is_secure()
        feed = self.feed_type(
            title=self.title(obj),
            subtitle=self.subtitle(obj),
            link=add_domain(domain, self.link(obj), secure),
            description=None,
            language=get_language(),
            feed_url=add_domain(domain, request.path, secure),
        )
        items = self.items(obj)
        if obj is not None:
            # A tag or event no public article carries has no feed (the rule of
            # public_tags() and Event.objects.public()): its entries show it.
            if not items:
                raise Http404("No such feed.")
            show(request, key_for(obj))
        for item in items:
            link = add_domain(domain, item.get_absolute_url(), secure)
            feed.add_item(
                title=self.item_title(item),
                link=link,
                description=self.item_description(item),
                unique_id=link,
                pubdate=self.item_pubdate(item),
                updateddate=self.item_updateddate(item),
                author_name=self.item_author_name(item),
                categories=self.item_categories(item),
            )
        return feed

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        articles = listed_tags(
            self.articles(obj).only(
                "id", "title", "slug", "standfirst", "published_at", "publication_date",
                "updated_at",
            )[: self.limit]
        )  # fmt: skip
        # The authors' names as plain rows, in the order they were added: a user instance
        # and the prefetch machinery for each were a sixth of the feed's time.
        names = defaultdict(list)
        authors = (
            Article.authors.through.objects.filter(article__in=[a.pk for a in articles])
            .order_by("pk")
            .values_list("article", "user__first_name", "user__last_name", "user__username")
        )
        for article_id, first_name, last_name, username in authors:
            # What byline() writes: the full name, or else the username.
            names[article_id].append(f"{first_name} {last_name}".strip() or username)
        for article in articles:
            article.author_names = names[article.pk]
        return articles

    # XML cannot carry control characters, whatever an editor pasted into a headline.
    def item_title(self, item):
        return without_control_characters(item.title)

    # Atom writes the summary as type="html": a reader renders it as markup. The standfirst
    # is plain text, so it goes in escaped, as the pages show it; every other field is an
    # Atom text construct or attribute, which readers take as text.
    def item_description(self, item):
        return escape(without_control_characters(item.standfirst))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        return joined_names(item.author_names) or settings.SITE_NAME

    def item_categories(self, item):
        return [without_control_characters(tag.name) for tag in item.listed_tags]


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return f"/tags/{obj.slug}/"

    def subtitle(self, obj=None):
        return f"The latest articles tagged {obj.name}."

    def articles(self, obj):
        return Article.objects.published().with_all_tags([obj])


class EventFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Event, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def subtitle(self, obj=None):
        return f"The latest articles on {obj.name}."

    def articles(self, obj):
        return Article.objects.published().linked_to(obj)
