"""
Live coverage in the content API: a live article's updates (``?since=`` for what
changed after a moment), and its updates carried in its ninjs item.
"""

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Path, Query, Router, Schema
from pydantic import Field

from articles.api import schemas
from articles.api.ninjs import HtmlText, iso
from articles.invalidation import key_for, show
from articles.live.pages import coverage_of, updates_of
from articles.live.structured_data import update_posting
from articles.models import Article
from articles.structured_data import absolute

router = Router(tags=["read"])

MAX_ID = 2**63 - 1
# At most this many updates an answer: an app keeps up with ``since``.
UPDATES_PAGE = 100


class UpdateQuote(Schema):
    text: str
    role: str = Field(description="The speaker's role when they said it.")
    speaker: schemas.PersonRef


class Update(Schema):
    id: int
    url: str = Field(description="The update's own address: the article's, with its anchor.")
    published_at: datetime.datetime
    updated_at: datetime.datetime
    headline: str
    body_html: str = Field(description="The update's text as sanitized HTML.")
    is_key_event: bool
    is_pinned: bool
    correction: str
    author: str | None
    quotes: list[UpdateQuote]


class Coverage(Schema):
    state: str = Field(description="live (updates are being posted) or closed.")
    coverage_start: datetime.datetime
    coverage_end: datetime.datetime | None
    summary_html: str = Field(description="The closing summary, as sanitized HTML.")


class UpdateList(Schema):
    article: int
    canonical_url: str
    coverage: Coverage
    count: int = Field(description="How many updates are listed here.")
    more: bool = Field(description="True if more changed than one answer lists: ask again.")
    results: list[Update] = Field(description="Newest first.")


def update_data(update):
    from articles.api.read import person_ref

    author = update.author
    return {
        "id": update.pk,
        "url": absolute(update.get_absolute_url()),
        "published_at": update.published_at,
        "updated_at": update.updated_at,
        "headline": update.headline,
        "body_html": update.body_html,
        "is_key_event": update.is_key_event,
        "is_pinned": update.is_pinned,
        "correction": update.correction,
        "author": (author.get_full_name() or author.get_username()) if author else None,
        "quotes": [
            {"text": q.text, "role": q.role, "speaker": person_ref(q.speaker)}
            for q in update.quotes.all()
        ],
    }


@router.get(
    "/articles/{article_id}/updates/",
    response={200: UpdateList, 400: schemas.Error, 404: schemas.Error},
    url_name="article_updates",
    summary="A live article's updates, newest first (with since: those posted or edited after it)",
)
def list_updates(
    request,
    article_id: int = Path(..., ge=1, le=MAX_ID),
    since: datetime.datetime | None = Query(
        None, description="An ISO 8601 time: only updates posted or edited after it."
    ),
):
    article = (
        Article.objects.published(language=None)
        .select_related("live")
        .only("id", "slug", "published_at", "publication_date", "language", "live")
        .filter(pk=article_id)
        .first()
    )
    coverage = coverage_of(article) if article is not None else None
    if coverage is None:
        raise Http404(gettext("No published live article has this id."))
    show(request, key_for(article))
    updates = updates_of(article, limit=None)
    if since is not None:
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        updates = [u for u in updates if u.updated_at > since or u.published_at > since]
    listed = updates[:UPDATES_PAGE]
    return {
        "article": article.pk,
        "canonical_url": absolute(article.get_absolute_url()),
        "coverage": {
            "state": coverage.state,
            "coverage_start": coverage.starts_at,
            "coverage_end": coverage.ends_at,
            "summary_html": coverage.summary_html,
        },
        "count": len(listed),
        "more": len(updates) > UPDATES_PAGE,
        "results": [update_data(update) for update in listed],
    }


def ninjs_updates(article):
    """Each update of a live ``article`` as a ninjs association (a text item of its own)."""
    if coverage_of(article) is None:
        return []
    url = absolute(article.get_absolute_url())
    associations = []
    for update in updates_of(article):
        posting = update_posting(update, url)
        text = HtmlText.words(update.body_html)
        association = {
            "name": update.anchor,
            "uri": posting["url"],
            "type": "text",
            "version": str(update.edit_version),
            "firstcreated": iso(update.published_at),
            "versioncreated": iso(max(update.updated_at, update.published_at)),
            "pubstatus": "usable",
            "headlines": [{"role": "main", "value": posting["headline"]}],
            "bodies": [
                {
                    "role": "main",
                    "contenttype": "text/html",
                    "value": update.body_html,
                    "charcount": len(text),
                    "wordcount": len(text.split()),
                }
            ],
        }
        if "author" in posting:
            association["by"] = posting["author"]["name"]
        associations.append(association)
    return associations
