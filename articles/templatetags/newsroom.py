import functools
import html
import json

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.formats import date_format, localize, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, template_localtime
from django.utils.translation import get_language, gettext, ngettext, pgettext, pgettext_lazy

from articles import addresses, languages
from articles.markdown import render_markdown
from articles.text import without_control_characters

register = template.Library()


@register.tag
def memo(parser, token):
    """
    ``{% memo %}…{% endmemo %}``: what is between, rendered once per language (and script
    prefix) for the life of the process, and the same text given to every page after. For
    the parts of the layout every page repeats (the site's name, its sections, the labels of
    the search form), which show nothing but the interface's words and the site's fixed
    addresses: they cost every uncached page a third of its rendering. Never for anything
    a page, a reader or an article decides.
    """
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist)


class MemoNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered = {}
        self.generation = _settings_generation

    def render(self, context):
        if self.generation != _settings_generation:  # settings changed (tests): forget all
            self.rendered, self.generation = {}, _settings_generation
        key = (get_language(), get_script_prefix())
        text = self.rendered.get(key)
        if text is None:
            text = self.rendered[key] = self.nodelist.render(context)
        return text


_settings_generation = 0


@receiver(setting_changed)
def _forget_memos(**kwargs):
    global _settings_generation
    _settings_generation += 1


# The characters that could end a <script> element or open a comment, as JSON escapes.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """A schema.org dict as a ``<script type="application/ld+json">`` block (data, not code)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter(is_safe=True)
def xml_text(value):
    """Text fit for an XML document: no control characters (escaping is left to autoescape)."""
    return without_control_characters(str(value))


def in_page_language():
    """
    A function giving an object's field (``name`` unless said) in the page's language:
    its translation, or the text as written marked with its language
    (``<span lang="en-gb">``) on a page in another. The page's language looked up once
    for a list; in the site's first language, the text as written, as it always was.
    """
    current = languages.current()
    if current == languages.default():
        return lambda obj, field="name": getattr(obj, field)

    def text(obj, field="name"):
        value, language = languages.translated_text(obj, field, current)
        if language != current and value:
            return format_html('<span lang="{}">{}</span>', language, value)
        return value

    return text


@register.filter
def translated(obj, field="name"):
    """
    ``{{ tag|translated }}``, ``{{ person|translated:"role" }}``: a name in the page's
    language, or as written with its ``lang`` (see ``in_page_language``).
    """
    value = in_page_language()(obj, field)
    return value if hasattr(value, "__html__") else _escaped(value)


@register.filter
def plain_translation(obj, field="name"):
    """A name in the page's language, or as written, as text (for a title or an attribute)."""
    return languages.translated_text(obj, field, languages.current())[0]


@register.filter
def translated_markdown(obj, field="description"):
    """A description (Markdown) in the page's language, or as written in a ``<div lang>``."""
    current = languages.current()
    text, language = languages.translated_text(obj, field, current)
    if not text:
        return ""
    html_text = render_markdown(text)  # nh3 has cleaned it
    if language != current:
        return format_html('<div lang="{}">{}</div>', language, mark_safe(html_text))
    return mark_safe(html_text)


@register.filter
def number(value):
    """A count as the page's language writes it: “12,345”, in French “12 345”."""
    return number_format(value, force_grouping=True)


@register.filter
def html_lang(language_code):
    """A Django language code as HTML's ``lang`` writes it: ``en-gb`` as ``en-GB``."""
    language, _, region = language_code.partition("-")
    return f"{language}-{region.upper()}" if region else language


# What readers read of an event's status and of how an article relates to an event: the
# public site's own words, translated with it, apart from the labels editors choose from.
EVENT_STATUSES = {
    "scheduled": pgettext_lazy("event status", "Scheduled"),
    "postponed": pgettext_lazy("event status", "Postponed"),
    "cancelled": pgettext_lazy("event status", "Cancelled"),
    "took_place": pgettext_lazy("event status", "Took place"),
}
EVENT_LINK_KINDS = {
    "reports_on": pgettext_lazy("an article and an event", "Reports on"),
    "previews": pgettext_lazy("an article and an event", "Previews"),
    "mentions": pgettext_lazy("an article and an event", "Mentions"),
    "follows_up": pgettext_lazy("an article and an event", "Follows up"),
}


@register.filter
def event_status(event):
    """An event's status as readers read it (“Postponed”)."""
    return EVENT_STATUSES.get(event.status) or event.get_status_display()


@register.filter
def event_link_kind(link):
    """How an article relates to an event, as its page says it (“Reports on”)."""
    return EVENT_LINK_KINDS.get(link.kind) or link.get_kind_display()


@register.filter
def tag_url(tags):
    """The address of a tag (a Tag, or slugs joined by ``+``); see articles.addresses."""
    return addresses.tag_url(getattr(tags, "slug", tags))


@register.filter
def news_language(code):
    """A language as Google News names it: ISO 639 (“en”, “fr”), but “zh-cn” and “zh-tw”."""
    language, _, region = code.lower().partition("-")
    if language == "zh":
        return "zh-tw" if region in {"tw", "hant", "hk"} else "zh-cn"
    return language


@register.filter
def iso_time(moment):
    """A moment in ISO 8601, in the current time zone: what ``date:'c'`` gives."""
    return template_localtime(moment).isoformat()


@register.filter
def day_time(moment):
    """
    ``<time datetime="2025-03-18T14:05:00+00:00">18 March 2025</time>``: a moment as lists
    show it, in the current time zone; what ``date:'c'`` and ``date:"j F Y"`` give, the
    day's name formatted once per day and language rather than for every article.
    """
    local = template_localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), _day(local.date(), get_language())
    )


@functools.lru_cache(maxsize=4096)
def _day(date, language):
    return date_format(date, "j F Y")


@register.filter
def event_date(event):
    """
    An event's date as precise as the newsroom knows it: ``2025``, ``May 2025``, or its
    day (or first and last days) as ``<time>``. Written here rather than as an included
    template: lists show one for each event, and an include cost more than the rest of
    the line.
    """
    if event.date_precision == "year":
        return date_format(event.starts_on, "Y")
    if event.date_precision == "month":
        return date_format(event.starts_on, "F Y")
    days = [event.starts_on]
    if event.ends_on and event.ends_on != event.starts_on:
        days.append(event.ends_on)
    language = get_language()
    return _lines(
        '<time datetime="{}">{}</time>',
        ((day.isoformat(), _day(day, language)) for day in days),
        joiner=" – ",
    )


def _lines(line, rows, joiner=""):
    """
    ``line``, HTML with ``{}`` for values, once for each row of values, escaped (but
    those that are HTML already), joined: what ``format_html_join`` does, at a fraction
    of its cost for each value, which a side list of twenty lines has a hundred of.
    """
    return mark_safe(joiner.join(line.format(*map(_escaped, row)) for row in rows))


def _escaped(value):
    """``conditional_escape()``: the same escaping, without its lazy-string wrapping."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@register.filter
def cards(articles):
    """The stored cards of a list's articles (see ``articles.fragments``), one per line."""
    return mark_safe("\n".join(article.card for article in articles))


@register.filter
def event_lines(events):
    """
    Events as the lines of a side list: each a link, and its date below. Written here
    rather than in the template's loop, for the reason ``tag_links`` gives.
    """
    name = in_page_language()
    return _lines(
        '<li><a href="{}">{}</a><br><span class="meta">{}</span></li>',
        ((event.get_absolute_url(), name(event), event_date(event)) for event in events),
    )


@register.filter
def event_items(events):
    """
    The events page's lines: each event's link, its date, its place and, unless it is
    going ahead as planned, its status.
    """

    text = in_page_language()

    def fields(event):
        place = f" · {_escaped(text(event, 'location'))}" if event.location else ""
        status = ""
        if event.status != "scheduled":
            status = (
                f' · <span class="status status-{_escaped(event.status)}">'
                f"{_escaped(event_status(event))}</span>"
            )
        return event.get_absolute_url(), text(event), event_date(event), mark_safe(place + status)

    return _lines(
        '<li><a href="{}">{}</a><br><span class="meta">{}{}</span></li>', map(fields, events)
    )


@register.filter
def counted_tag_links(counted, within=None):
    """
    Tags with how many articles share each, as a list's lines: links to each tag's page,
    or with ``within`` (the tags of the page), to the page narrowed by each (``+ tag``).
    """
    prefix = get_script_prefix()
    name = in_page_language()
    if within is None:
        lines = (
            (addresses.tag_url(tag.slug, prefix), "", name(tag), tag.shared) for tag in counted
        )
    else:
        chosen = "+".join(tag.slug for tag in within)
        lines = (
            (addresses.tag_url(f"{chosen}+{tag.slug}", prefix), "+ ", name(tag), tag.shared)
            for tag in counted
        )
    return _lines('<li><a href="{}">{}{} <span class="count">{}</span></a></li>', lines)


@register.filter
def tag_links(tags):
    """
    An article's tags as a list of links. Written here rather than as an included
    template: a list of twenty articles shows a hundred tags, and rendering them one
    template variable at a time was a fifth of the page's time.
    """
    if not tags:
        return ""
    prefix = get_script_prefix()
    name = in_page_language()
    links = _lines(
        '<li><a href="{}">{}</a></li>', ((addresses.tag_url(t.slug, prefix), name(t)) for t in tags)
    )
    return format_html('<ul class="tags" aria-label="{}">{}</ul>', gettext("Tags"), links)


@register.filter
def article_links(articles, dated=False):
    """
    Articles as list items linking to them, each with its day when ``dated``: for lists
    of dozens, written here for the same reason as ``tag_links``.
    """
    if dated:
        local = local_time()
        return _lines(
            '<li><a href="{}">{}</a> <span class="meta">{}</span></li>',
            ((a.get_absolute_url(), a.title, local(a.published_at)[1]) for a in articles),
        )
    return _lines(
        '<li><a href="{}">{}</a></li>', ((a.get_absolute_url(), a.title) for a in articles)
    )


QUOTE_FIGURE = """
    <figure class="pull-quote">
      <blockquote><p>{}</p></blockquote>{}
      <figcaption>{}<a href="{}">{}</a>, <time datetime="{}">{}</time></figcaption>
    </figure>
    """


@register.filter
def quote_figures(quotes):
    """
    A speaker's quotes, each with the role at the time and its article (``title``,
    ``get_absolute_url``, ``published_at``): written here for the same reason as
    ``tag_links``, the two dates and the link of each quote most of all.
    """
    local = local_time()
    # Translated once for the list: the role goes in each quote's caption.
    as_role, plain = gettext("As %(role)s, in "), gettext("In ")

    def fields(quote):
        article = quote.article
        caption = mark_safe(as_role % {"role": _escaped(quote.role)}) if quote.role else plain
        moment, day = local(article.published_at)
        url = quote.get_absolute_url()  # a live update's quote: its update's anchor
        original = original_words(quote)
        return quote.text, original, caption, url, article.title, moment.isoformat(), day

    return _lines(QUOTE_FIGURE, map(fields, quotes))


ORIGINAL_WORDS = (
    '<details class="quote-original"><summary>{}</summary>'
    '<blockquote lang="{}"><p>{}</p></blockquote></details>'
)


@register.filter
def original_words(quote):
    """
    Under a translated quote, “Translated from English”, opening on the words as they were
    said, marked with their language (a ``<details>``: no script needed).
    """
    if not quote.is_translation:
        return ""
    note = gettext("Translated from %(language)s") % {
        "language": language_name(quote.original_language)
    }
    return format_html(ORIGINAL_WORDS, note, quote.original_language, quote.original_text)


@register.filter
def language_name(code):
    """A language's name in the page's language: “English”, or on a French page “anglais”."""
    base = code.split("-")[0]
    try:
        return translation.get_language_info(base)["name_translated"]
    except KeyError:
        return code


def local_time():
    """
    A function giving a moment in the current time zone, and its day as
    ``date:"j F Y"`` writes it: the time zone and language looked up once for a list.
    """
    zone, language = get_current_timezone(), get_language()

    def local(moment):
        moment = moment.astimezone(zone)
        return moment, _day(moment.date(), language)

    return local


SEARCH_RESULT = """
  <li>
    <article class="teaser">
      <h2 class="teaser-title"><a href="{}">{}</a></h2>
      <p class="meta"><time datetime="{}">{}</time></p>
      <p>{}</p>
    </article>
  </li>
  """


@register.filter
def search_results(results):
    """
    Search results, each its article's address, date, and highlighted ``title`` and
    ``excerpt`` (HTML): written here for the same reason as ``tag_links``.
    """
    local, url = local_time(), addresses.dated_article_urls()
    lines = []
    for result in results:
        article = result["article"]
        moment, day = local(article.published_at)
        address = url(article.publication_date, article.published_at, article.slug)
        lines.append(
            SEARCH_RESULT.format(
                _escaped(address),
                _escaped(result["title"]),  # HTML from highlight(): kept as it is
                moment.isoformat(),  # digits and signs only
                _escaped(day),
                _escaped(result["excerpt"]),
            )
        )
    return mark_safe("".join(lines))


@register.simple_tag
def article_count(paginator):
    """
    “12 articles”, or where the count stopped at its limit, “1000+ articles”: written
    here rather than with ``blocktranslate``, which took thirty times as long.
    """
    count = paginator.count
    if getattr(paginator, "count_is_limited", False):
        line = ngettext("%(counter)s+ article", "%(counter)s+ articles", count)
    else:
        line = ngettext("%(counter)s article", "%(counter)s articles", count)
    return html.escape(line % {"counter": localize(count)})


@register.simple_tag(takes_context=True)
def pagination(context):
    """
    A list's links to its newer and older pages, and which page of how many this is,
    keeping the list's ``query_string``: written here rather than as an included
    template, which took a twentieth of a list page's time.
    """
    if not context.get("is_paginated"):
        return ""
    page, paginator = context["page_obj"], context["paginator"]
    query = context.get("query_string")
    address = f"?{html.escape(query)}&amp;page=" if query else "?page="
    newer = older = ""
    if page.has_previous():
        newer = PAGE_LINK.format(
            "prev",
            address,
            page.previous_page_number(),
            html.escape(pgettext("pagination", "Newer")),
        )
    if page.has_next():
        older = PAGE_LINK.format(
            "next", address, page.next_page_number(), html.escape(pgettext("pagination", "Older"))
        )
    where = gettext("Page %(number)s of %(pages)s") % {
        "number": localize(page.number),
        "pages": localize(paginator.num_pages),
    }
    label = gettext("Pages")
    return mark_safe(
        f'<nav class="pagination" aria-label="{html.escape(label)}">\n'
        f"  {newer}\n  <span>{html.escape(where)}</span>\n  {older}\n</nav>"
    )


PAGE_LINK = '<a rel="{}" href="{}{}">{}</a>'


@register.filter
def join_slugs_without(tags, removed):
    """The ``a+b`` path part for ``tags`` less one."""
    return "+".join(tag.slug for tag in tags if tag.slug != removed.slug)


@register.simple_tag
def add_filter(article_filter, key, value):
    """The query string of ``article_filter`` with one more value for ``key``."""
    return article_filter.adding(key, value)


@register.filter
def markdown(text):
    """Markdown rendered and sanitized (the same allowlist as article bodies)."""
    return mark_safe(render_markdown(text))  # nh3 has cleaned it
