"""What readers fetch of a live article besides its page: the polling fragment."""

import datetime

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles import languages
from articles.invalidation import key_for, show
from articles.live.pages import POLLED_UPDATES, coverage_of, live_of
from articles.models import Article


def live_article(year, month, day, slug):
    """The public article at this address, with its coverage; 404 unless covered live."""
    try:
        date = datetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise Http404("No such date.") from None
    article = (
        Article.objects.published()
        .select_related("live")
        .only(
            "id",
            "title",
            "slug",
            "standfirst",
            "published_at",
            "publication_date",
            "updated_at",
            "language",
            "live",
        )
        .filter(publication_date=date, slug=slug, language=languages.current())
        .first()
    )
    if article is None or coverage_of(article) is None:
        raise Http404("No live coverage here.")
    return article


@require_safe
def updates_fragment(request, year, month, day, slug):
    """
    The newest updates as the page shows them, for the page's script to fetch every
    ``LIVE_POLL_SECONDS``: the same address for every reader, so the page cache keeps one copy
    and answers a reader who has it already with a 304 from its ETag. Renewed with the
    article's key alone (see invalidation.live_changed).
    """
    article = live_article(year, month, day, slug)
    show(request, key_for(article))
    live = live_of(article, limit=POLLED_UPDATES)
    count = (
        article.live_updates.count() if len(live.updates) == POLLED_UPDATES else len(live.updates)
    )
    response = render(request, "articles/live/poll.html", {"live": live, "count": count})
    response["X-Robots-Tag"] = "noindex"
    return response
