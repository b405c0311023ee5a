"""Atom feeds: the latest articles, and the latest on one tag or one event."""

import datetime
import functools
import json
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as escape_xml
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, get_tag_uri, rfc3339_date
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language, gettext
from django.utils.xmlutils import UnserializableContentError
from taggit.models import Tag

from articles import addresses, languages, listings
from articles.addresses import dated_article_url
from articles.blocks.body import feed_html
from articles.invalidation import key_for, show
from articles.models import Article, Event, joined_names
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
        "author_name", "categories", "content",
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
        if item.get("content"):
            parts.append(element("content", item["content"], ' type="html"'))
        parts.extend(map(category_xml, item["categories"]))
        parts.append("</entry>")
        return "".join(parts)


@functools.lru_cache(maxsize=4096)
def category_xml(term):
    """
    ``<category term="…"/>``, written once for each tag's name (feeds repeat them), without
    the control characters XML cannot carry.
    """
    return f"<category term={quoteattr(without_control_characters(term))}/>"


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


BYLINES = Article.authors.through._meta.db_table
USERS = get_user_model()._meta.db_table


@dataclass(slots=True)
class Entry:
    """An article as a feed shows it, from a plain row, with its tags' and authors' names."""

    pk: int
    title: str
    slug: str
    standfirst: str
    published_at: datetime.datetime
    publication_date: datetime.date
    updated_at: datetime.datetime
    body_html: str
    body_items: list
    tag_names: list = field(default_factory=list)
    author_names: list = field(default_factory=list)

    FIELDS = (
        "id", "title", "slug", "standfirst", "published_at", "publication_date", "updated_at",
        "body_html", "body_items",
    )  # fmt: skip

    def __post_init__(self):
        self.published_at = listings.aware(self.published_at)
        self.updated_at = listings.aware(self.updated_at)
        if isinstance(self.body_items, str | bytes):  # a plain row: JSON as text
            self.body_items = json.loads(self.body_items or "[]")

    def get_absolute_url(self):
        return dated_article_url(self.publication_date, self.published_at, self.slug)


def _named(model, request, slug):
    """
    The tag or event of a feed's address (its id, name and slug only, and its name's
    translations in a feed of another language than the site's first), or 404.
    """
    queryset, fields = model.objects.all(), ["id", "name", "slug"]
    if languages.current() != languages.default():
        if model is Tag:
            queryset = queryset.select_related("profile")
            fields.append("profile__translations")
        else:
            fields.append("translations")
    return get_object_or_404(queryset.only(*fields), slug=slug)


def _name(obj):
    """A tag's or event's name in the feed's language (as written if not translated)."""
    return languages.translated_text(obj, "name", languages.current())[0]


class LatestArticlesFeed(Feed):
    feed_type = AtomFeed
    limit = 30

    def title(self, obj=None):
        return gettext("%(site)s: latest") % {"site": settings.SITE_NAME}

    def link(self, obj=None):
        return addresses.site_urls()["home"]

    def subtitle(self, obj=None):
        return gettext("The latest articles from %(site)s.") % {"site": settings.SITE_NAME}

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
                content=self.item_content(item),
            )
        return feed

    def selection(self, obj):
        """The feed's articles (see ``articles.listings``): every published one."""
        return listings.Selection()

    def items(self, obj=None):
        """
        The ``limit`` latest public articles of ``selection()``, as plain rows, with their
        tags' names and their authors' names: three plain statements, written out once
        (see ``articles.listings``), where building them with the ORM and making a model
        instance of each row took twice as long as writing the feed.
        """
        selection = self.selection(obj)
        # Read from the index of a tag or event under a thousand articles (counted).
        few = bool(selection.tag_ids or selection.event_id)
        few = few and selection.count(listings.FEW) < listings.FEW
        chosen, params = selection.in_order(0, self.limit, few)
        sql = (
            f"SELECT {', '.join(f'a.{name}' for name in Entry.FIELDS)} FROM {chosen}"
            f" JOIN {listings.ARTICLES} a ON a.id = p.id ORDER BY p.moment DESC, p.id DESC"
        )
        entries = [Entry(*row) for row in listings.rows(sql, params)]
        if not entries:
            return entries
        by_id = {entry.pk: entry for entry in entries}
        # Each article's tags in the order they were given (as ``listed_tags()`` reads them).
        within, params = listings.ids_in("s.content_object_id", list(by_id))
        sql = (
            f"SELECT s.content_object_id, t.name FROM {listings.TAGGINGS} s"
            f" JOIN {listings.TAGS} t ON t.id = s.tag_id WHERE {within} ORDER BY s.id"
        )
        for article_id, name in listings.rows(sql, params):
            by_id[article_id].tag_names.append(name)
        # The authors' names in the order they were added.
        within, params = listings.ids_in("b.article_id", list(by_id))
        sql = (
            f"SELECT b.article_id, u.first_name, u.last_name, u.username FROM {BYLINES} b"
            f" JOIN {USERS} u ON u.id = b.user_id WHERE {within} ORDER BY b.id"
        )
        for article_id, first_name, last_name, username in listings.rows(sql, params):
            # What byline() writes: the full name, or else the username.
            by_id[article_id].author_names.append(f"{first_name} {last_name}".strip() or username)
        return entries

    # XML cannot carry control characters, whatever an editor pasted into a headline.
    def item_title(self, item):
        return without_control_characters(item.title)

    # Atom writes the summary as type="html": a reader renders it as markup. The standfirst
    # is plain text, so it goes in escaped, as the pages show it; every other field is an
    # Atom text construct or attribute, which readers take as text.
    def item_description(self, item):
        return escape(without_control_characters(item.standfirst))

    # The body as a feed reader shows it: pull quotes and pictures as plain HTML, embeds as
    # a link with their title (no frame, no script), every address absolute.
    def item_content(self, item):
        return without_control_characters(str(feed_html(item)))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        return joined_names(item.author_names) or settings.SITE_NAME

    def item_categories(self, item):
        return item.tag_names  # written without control characters by category_xml()


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return _named(Tag, request, slug)

    def title(self, obj=None):
        return gettext("%(site)s: %(name)s") % {"site": settings.SITE_NAME, "name": _name(obj)}

    def link(self, obj=None):
        return addresses.tag_url(obj.slug)

    def subtitle(self, obj=None):
        return gettext("The latest articles tagged %(tag)s.") % {"tag": _name(obj)}

    def selection(self, obj):
        return listings.Selection(tag_ids=(obj.pk,))


class EventFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return _named(Event, request, slug)

    def title(self, obj=None):
        return gettext("%(site)s: %(name)s") % {"site": settings.SITE_NAME, "name": _name(obj)}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def subtitle(self, obj=None):
        return gettext("The latest articles on %(event)s.") % {"event": _name(obj)}

    def selection(self, obj):
        return listings.Selection(event_id=obj.pk)
