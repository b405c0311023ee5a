"""The read side of the API: published content only, the same rule and filters as the site."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Path, Query, Router, Status

from articles import languages
from articles.api import schemas
from articles.api.ninjs import NinjsItem, article_to_ninjs, renditions
from articles.blocks.body import public_items
from articles.cache import CachedCountPaginator, remember
from articles.filters import ArticleFilter, BadFilter
from articles.invalidation import article_keys, show
from articles.models import Article, ArticleEvent, Event, Person, Quote, TaggedArticle
from articles.querysets import public_tags, public_translations, published_q
from articles.search import MAX_QUERY_LENGTH, search_articles
from articles.structured_data import absolute

router = Router(tags=["read"])

VOCABULARY_PAGE_SIZE = 100
ERRORS = {400: schemas.Error, 404: schemas.Error}
MAX_ID = 2**63 - 1
DATE = r"^\d{4}-\d{2}-\d{2}$"


def published(language=None):
    """Published articles in ``language``, or in every language of the site."""
    if language:
        return Article.objects.published(language=language)
    return Article.objects.published(language=None).filter(language__in=languages.codes())


def public_articles(articles=None):
    """Published articles (or ``articles``, already narrowed from them) with everything
    the API shows, in a fixed number of queries."""
    articles = published() if articles is None else articles
    return (
        articles.with_public_relations()
        .prefetch_related("corrections")
        .defer("body", "search_document")
    )


def paginate(request, queryset, page, per_page):
    """
    One page of ``queryset`` with links to its neighbours. Pages are not bounded by the
    count (which stops at 1,000): an app may walk the whole archive.
    """
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if page > 1 and not rows:
        raise Http404(gettext("There is no page %(page)s.") % {"page": page})

    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    paginator = CachedCountPaginator(queryset, per_page)
    return {
        "count": paginator.count,
        "count_is_limited": paginator.count_is_limited,
        "next": link(page + 1) if len(rows) > per_page else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": rows[:per_page],
    }


def api_url(request, name, **kwargs):
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))


def articles_url(request, **params):
    return api_url(request, "article_list") + "?" + urlencode(params)


def with_translations(articles):
    """``articles``, each with the other public articles of its translation group as
    ``public_translations`` (one query for them all, none on a site of one language)."""
    fields = ("id", "title", "slug", "publication_date", "published_at", "language")
    others = public_translations(articles, fields)
    for article in articles:
        article.public_translations = others[article.pk]
    return articles


def article_data(request, article):
    """An article as the API shows it; expects public_articles() prefetches and
    with_translations()."""
    lead_image = None
    if picture := article.lead_image:
        lead_image = {
            "id": picture.pk,
            "alt": picture.alt,
            "caption": picture.caption,
            "credit": picture.credit,
            "width": picture.width,
            "height": picture.height,
            "renditions": [
                {"url": r["href"], "width": r["width"], "height": r["height"],
                 "content_type": r["contenttype"]}
                for r in renditions(article)
            ],
        }  # fmt: skip
    return {
        "id": article.pk,
        "url": api_url(request, "article", article_id=article.pk),
        "canonical_url": absolute(article.get_absolute_url()),
        "ninjs_url": api_url(request, "article_ninjs", article_id=article.pk),
        "language": article.language,
        "translations": [
            {"language": other.language, "id": other.pk,
             "url": api_url(request, "article", article_id=other.pk)}
            for other in article.public_translations
        ],
        "headline": article.title,
        "standfirst": article.standfirst,
        "body_html": article.body_html,
        "body": public_items(article),
        "byline": article.byline,
        "dateline": article.dateline,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "lead_image": lead_image,
        "tags": [tag_ref(tag) for tag in article.tags.all()],
        "quotes": [
            {"position": q.position, "text": q.text, "role": q.role,
             "speaker": person_ref(q.speaker)}
            for q in article.quotes.all()
        ],
        "events": [
            {"kind": link.kind, "kind_label": link.get_kind_display(),
             "event": event_ref(link.event)}
            for link in article.event_links.all()
        ],
        "corrections": [
            {"text": c.text, "published_at": c.published_at} for c in article.corrections.all()
        ],
    }  # fmt: skip


def tag_ref(tag):
    return {
        "name": tag.name,
        "slug": tag.slug,
        "url": absolute(reverse("articles:tag", args=[tag.slug])),
    }


def person_ref(person):
    return {"name": person.name, "slug": person.slug, "url": absolute(person.get_absolute_url())}


def event_ref(event):
    return {
        "name": event.name,
        "slug": event.slug,
        "url": absolute(event.get_absolute_url()),
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "date_precision": event.date_precision,
        "location": event.location,
        "status": event.status,
    }


@router.get(
    "/articles/",
    response={200: schemas.ArticlePage, **ERRORS},
    url_name="article_list",
    summary="Published articles, newest first (or best match with q)",
)
def list_articles(
    request,
    tag: list[str] = Query([], description="A tag's slug; repeat it: articles must carry all."),
    event: str | None = Query(None, description="An event's slug."),
    person: str | None = Query(None, description="A speaker's slug: articles quoting them."),
    date_from: str | None = Query(None, alias="from", pattern=DATE, description="YYYY-MM-DD."),
    date_to: str | None = Query(None, alias="to", pattern=DATE, description="YYYY-MM-DD."),
    q: str | None = Query(None, max_length=MAX_QUERY_LENGTH, description="Words to search for."),
    language: str | None = Query(
        None,
        max_length=20,
        description="A language of the site (its code, “fr”): its articles only. "
        "Without it, articles of every language. An unknown language is a 400.",
    ),
    page: int = Query(1, ge=1, le=100_000),
):
    """
    The same filters as /articles/ on the site; an unknown tag, event or person is a 404.
    With ``language``, the articles of that language (searched as words of it).
    """
    if language is not None:
        language = language.strip().lower().replace("_", "-")
        if language not in languages.codes():
            return Status(400, {"detail": unknown_language(language)})
    try:
        filters = ArticleFilter(request.GET)
    except BadFilter as problem:
        return Status(400, {"detail": str(problem)})
    articles = filters.apply(published(language))
    if q and q.strip():
        articles = search_articles(articles, q, language)
    result = paginate(request, public_articles(articles), page, settings.API_PAGE_SIZE)
    result["results"] = [
        article_data(request, article) for article in with_translations(result["results"])
    ]
    return result


def unknown_language(code):
    known = ", ".join(languages.codes())
    return f"“{code[:20]}” is not a language of this site; its languages are: {known}."


def public_article(request, article_id):
    article = public_articles().filter(pk=article_id).first()
    if article is None:
        raise Http404(gettext("No published article has this id."))
    show(request, *article_keys(article))  # cached and purged like the article's page
    return with_translations([article])[0]


@router.get(
    "/articles/{article_id}/",
    response={200: schemas.Article, **ERRORS},
    url_name="article",
    summary="One published article",
)
def get_article(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    return article_data(request, public_article(request, article_id))


@router.get(
    "/articles/{article_id}/ninjs/",
    response={200: NinjsItem, **ERRORS},
    url_name="article_ninjs",
    summary="One published article as IPTC ninjs 2.1",
)
def get_article_ninjs(request, article_id: int = Path(..., ge=1, le=MAX_ID)):
    from articles.live.api import ninjs_updates

    article = public_article(request, article_id)
    item = article_to_ninjs(article)
    # A live article carries its updates, each as an associated text item.
    item["associations"] = [*item.get("associations", []), *ninjs_updates(article)] or None
    if item["associations"] is None:
        del item["associations"]
    return item


def counted(rows, links, field, count=None):
    """
    Each row of a page with ``article_count``: its public articles, counted for this
    page's rows only (one grouped query), so a list costs the same at any archive size.
    """
    ids = [row.pk for row in rows]
    query = (
        links.filter(**{f"{field}__in": ids})
        .order_by()
        .values_list(field)
        .annotate(n=count or Count("pk"))
        .values_list(field, "n")
    )
    # Kept until the content changes (or a page's lifetime), as the site keeps its aggregates.
    key = hashlib.sha256(repr(ids).encode()).hexdigest()
    counts = remember(f"api-counts:{links.model.__name__}:{key}", lambda: dict(query))
    for row in rows:
        row.article_count = counts.get(row.pk, 0)
    return rows


@router.get(
    "/tags/",
    response={200: schemas.TagPage, **ERRORS},
    url_name="tag_list",
    summary="Tags on published articles, alphabetically, with how many each",
)
def list_tags(request, page: int = Query(1, ge=1, le=100_000)):
    tags = public_tags().order_by(Lower("name"), "pk")
    result = paginate(request, tags, page, VOCABULARY_PAGE_SIZE)
    links = TaggedArticle.objects.filter(published_q("content_object__"))
    result["results"] = [
        {**tag_ref(tag), "article_count": tag.article_count,
         "articles": articles_url(request, tag=tag.slug)}
        for tag in counted(result["results"], links, "tag_id")
    ]  # fmt: skip
    return result


@router.get(
    "/events/",
    response={200: schemas.EventPage, **ERRORS},
    url_name="event_list",
    summary="Events covered by published articles, latest first, with how many each",
)
def list_events(request, page: int = Query(1, ge=1, le=100_000)):
    events = Event.objects.public().order_by("-starts_on", "name", "pk")
    result = paginate(request, events, page, VOCABULARY_PAGE_SIZE)
    links = ArticleEvent.objects.filter(published_q("article__"))
    result["results"] = [
        {**event_ref(event), "article_count": event.article_count,
         "articles": articles_url(request, event=event.slug)}
        for event in counted(result["results"], links, "event_id")
    ]  # fmt: skip
    return result


@router.get(
    "/people/",
    response={200: schemas.PersonPage, **ERRORS},
    url_name="person_list",
    summary="People quoted in published articles, alphabetically, with how many articles each",
)
def list_people(request, page: int = Query(1, ge=1, le=100_000)):
    people = Person.objects.public().order_by("name", "pk")
    result = paginate(request, people, page, VOCABULARY_PAGE_SIZE)
    quotes = Quote.objects.filter(published_q("article__"))
    # An article quoting someone three times counts once.
    by_article = Count("article", distinct=True)
    result["results"] = [
        {**person_ref(person), "role": person.role, "organisation": person.organisation,
         "article_count": person.article_count,
         "articles": articles_url(request, person=person.slug)}
        for person in counted(result["results"], quotes, "speaker_id", by_article)
    ]  # fmt: skip
    return result
