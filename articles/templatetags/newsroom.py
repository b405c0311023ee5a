import functools
import html
import json

from django import template
from django.urls import get_script_prefix
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, template_localtime
from django.utils.translation import get_language

from articles import addresses
from articles.markdown import render_markdown
from articles.text import without_control_characters

register = template.Library()

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
    return _lines(
        '<li><a href="{}">{}</a><br><span class="meta">{}</span></li>',
        ((event.get_absolute_url(), event.name, event_date(event)) for event in events),
    )


@register.filter
def event_items(events):
    """
    The events page's lines: each event's link, its date, its place and, unless it is
    going ahead as planned, its status.
    """

    def fields(event):
        place = f" · {_escaped(event.location)}" if event.location else ""
        status = ""
        if event.status != "scheduled":
            status = (
                f' · <span class="status status-{_escaped(event.status)}">'
                f"{_escaped(event.get_status_display())}</span>"
            )
        return event.get_absolute_url(), event.name, event_date(event), mark_safe(place + status)

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
    if within is None:
        lines = ((addresses.tag_url(tag.slug, prefix), "", tag.name, tag.shared) for tag in counted)
    else:
        chosen = "+".join(tag.slug for tag in within)
        lines = (
            (addresses.tag_url(f"{chosen}+{tag.slug}", prefix), "+ ", tag.name, tag.shared)
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
    links = _lines(
        '<li><a href="{}">{}</a></li>', ((addresses.tag_url(t.slug, prefix), t.name) for t in tags)
    )
    return format_html('<ul class="tags" aria-label="Tags">{}</ul>', links)


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
      <blockquote><p>{}</p></blockquote>
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

    def fields(quote):
        article = quote.article
        caption = mark_safe(f"As {_escaped(quote.role)}, in ") if quote.role else "In "
        moment, day = local(article.published_at)
        url = quote.get_absolute_url()  # a live update's quote: its update's anchor
        return quote.text, caption, url, article.title, moment.isoformat(), day

    return _lines(QUOTE_FIGURE, map(fields, quotes))


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
    local = local_time()

    def fields(result):
        article = result["article"]
        moment, day = local(article.published_at)
        url = article.get_absolute_url()
        return url, result["title"], moment.isoformat(), day, result["excerpt"]

    return _lines(SEARCH_RESULT, map(fields, results))


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
