"""
The preview pane and the checklist of the article form, from what the form holds now.

The article is built in memory: the saved one (or an empty one) with the form's text,
tags and quotes written over it, and rendered by the public page's own templates and
sanitizer. Nothing of it is saved, stored or cached.
"""

import copy
import functools
import operator

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles import fragments
from articles.blocks import body as body_blocks
from articles.desk import checklist
from articles.models import Article, Person, Quote, make_slug
from articles.text import reading_minutes, word_count

PREVIEW_BANNER = _("Live preview of the text in the form, not saved")
# The fields of the form written over the saved article.
TEXT_FIELDS = ["title", "standfirst", "body", "dateline"]
# The form's texts of the lead picture, written over (a copy of) the picture.
PICTURE_FIELDS = {"lead_image_alt": "alt", "lead_image_caption": "caption",
                  "lead_image_credit": "credit"}  # fmt: skip


def saved_article(pk):
    """The article with everything its page shows, read for one preview; None if gone."""
    return (
        Article.objects.with_public_relations()
        .prefetch_related("corrections")
        .filter(pk=pk)
        .first()
    )


def draft(cleaned, article, user):
    """
    (the article as the form has it, its checklist values) from a ``PreviewForm``'s
    cleaned data. The article is ``article`` itself, read for this request alone and
    never saved; an article never saved is one made here, under id 0, which no article
    has: every relation its page shows is given, so none is ever looked up by that id.
    """
    if article is None:
        article = Article(pk=0, created_by=user, updated_at=timezone.now())
        cached(article, authors=[user], event_links=[], corrections=[])
    public_url = article.get_absolute_url() if article.is_public else None
    for name in TEXT_FIELDS:
        setattr(article, name, cleaned[name])
    if article.lead_image is not None:
        article.lead_image = copy.copy(article.lead_image)  # the saved picture stays as it is
        for name, attribute in PICTURE_FIELDS.items():
            setattr(article.lead_image, attribute, cleaned[name])
    article.slug = cleaned["slug"] or make_slug(article.title)
    article.publication_date = (
        timezone.localdate(article.published_at) if article.published_at else None
    )
    tags = form_tags(cleaned["tags"], cleaned["new_tags"])
    rows = cleaned["quotes"]
    people = Person.objects.in_bulk({row["speaker"] for row in rows if row["speaker"]})
    cached(article, tags=tags, quotes=form_quotes(rows, people))
    # Its blocks as the form has them: its pull quotes of the form's quotes, its embeds
    # as recorded (or from the address alone; a preview never asks a provider).
    article.body_html, article.body_items = body_blocks.render(article, fetch=False)
    values = {
        **{name: getattr(article, name) for name in ("title", "slug", "standfirst", "body")},
        "dateline": article.dateline,
        "tag_names": [tag.name for tag in tags],
        "quotes": [
            {"speaker": row["speaker"] if row["speaker"] in people else None, "text": row["text"]}
            for row in rows
        ],
        **picture_values(article),
        "public_url": public_url,
    }
    return article, values


def article_values(article):
    """The checklist values of a saved article (or of an empty add form, for None)."""
    if article is None:
        return {"url": Article().get_absolute_url()}
    return {
        **{name: getattr(article, name) for name in ("title", "slug", "standfirst", "body")},
        "dateline": article.dateline,
        "tag_names": [tag.name for tag in article.tags.all()],
        "quotes": [
            {"speaker": speaker, "text": text}
            for speaker, text in article.quotes.values_list("speaker_id", "text")
        ],
        **picture_values(article),
    }


def picture_values(article):
    picture = article.lead_image
    return {
        "lead_image": picture is not None,
        "lead_image_alt": picture.alt if picture else "",
        "picture": article.lead_picture,
        "url": article.get_absolute_url(),
    }


def cached(article, **relations):
    """Give ``article`` its ``relations`` as if prefetched: its page never reads them anew."""
    if not hasattr(article, "_prefetched_objects_cache"):
        article._prefetched_objects_cache = {}
    article._prefetched_objects_cache.update(relations)


def form_tags(picked, typed):
    """The form's tags: those picked, then those typed (the existing tag of that name, or new)."""
    tags = list(picked)
    names = {tag.name.casefold() for tag in tags}
    typed = [name for name in dict.fromkeys(typed) if name.casefold() not in names]
    if not typed:
        return tags
    existing = Tag.objects.filter(
        functools.reduce(operator.or_, (Q(name__iexact=n) for n in typed))
    )
    known = {tag.name.casefold(): tag for tag in existing}
    for name in typed:
        tags.append(known.get(name.casefold()) or Tag(name=name, slug=Tag().slugify(name)))
    return tags


def form_quotes(rows, people):
    """The quotes a reader would see: those with a speaker and words, in their order."""
    quotes = [
        Quote(speaker=people[row["speaker"]], role=row["role"], text=row["text"],
              position=row["position"] or 0)
        for row in rows
        if row["speaker"] in people and row["text"].strip()
    ]  # fmt: skip
    return sorted(quotes, key=lambda quote: quote.position)


def preview_page(request, article):
    """The article's page as readers will see it, with a banner: a whole HTML document."""
    head, story = fragments.render_page(article)
    context = {
        "article": article,
        "parts": fragments.page_from_keys(head, story, []),
        "more_on_this": [],
        "preview": PREVIEW_BANNER,
    }
    return render_to_string("articles/article_detail.html", context, request)


def counts(values):
    words = word_count(values.get("standfirst", ""), values.get("body", ""))
    return {"words": words, "minutes": reading_minutes(words)}


def checklist_html(request, values):
    """The checklist panel of the form, as shown on opening it and after each preview."""
    context = {"checklist": checklist.review(values), **counts(values)}
    return render_to_string("admin/articles/article/desk_checklist.html", context, request)
