import functools
import json

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
    """
    The address of a tag (a Tag, or slugs joined by ``+``): what ``{% url 'articles:tag'
    slugs %}`` gives, remembered, as a page may link to a hundred tags and the tag index
    to every one.
    """
    return _tag_url(get_script_prefix(), getattr(tags, "slug", tags))


@functools.lru_cache(maxsize=10_000)
def _tag_url(script_prefix, slugs):
    return reverse("articles:tag", args=[slugs])


@receiver(setting_changed)
def _forget_tag_urls(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _tag_url.cache_clear()


@register.filter
def join_slugs_with(tags, extra):
    """The ``a+b`` path part for ``tags`` plus one more tag."""
    return "+".join([tag.slug for tag in tags] + [extra.slug])


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
