"""
Live coverage's part of the newsroom archive (see ``articles.archive``): each live
article's coverage and each of its updates, the article by its place in the archive's
list of articles and the author by username. A quote said in an update stays one of its
article's quotes and names the update it was said in.

An update keeps its id across a restore: the id is its public address
(``…/<slug>/#update-<id>``, the API's and the feed's), which readers have linked to, as
an article keeps its date and slug. The HTML of updates and summaries is rendered again
from their Markdown, as a save renders it, after the same checks a post passes.
Archives written before live coverage have none of it, and restore without.
"""

from django.core.management.color import no_style
from django.db import connection

from articles import limits
from articles.archive import BATCH, ArchiveError, create, from_row, plain_fields, row
from articles.live.models import LiveCoverage, LiveUpdate
from articles.live.services import FIRST_UPDATE_QUOTE, MAX_UPDATE_CHARS
from articles.markdown import nesting_problem, render_markdown
from articles.models import Article

# Rendered from the Markdown on restore, never taken from a file read as untrusted.
COVERAGE_DERIVED = {"summary_html"}
UPDATE_DERIVED = {"body_html"}
# The largest id the updates' id column takes (a BigAutoField).
MAX_UPDATE_ID = 2**63 - 1


def export_live(username):
    """Live coverage and updates, JSON-ready; ``username`` names a user id."""
    place = {
        pk: n for n, pk in enumerate(Article.objects.order_by("pk").values_list("pk", flat=True))
    }
    coverage_fields = plain_fields(LiveCoverage, COVERAGE_DERIVED)
    update_fields = plain_fields(LiveUpdate, UPDATE_DERIVED)
    return {
        "live_coverage": [
            row(coverage, coverage_fields, article=place[coverage.article_id])
            for coverage in LiveCoverage.objects.order_by("pk")
        ],
        "live_updates": [
            row(
                update,
                update_fields,
                id=update.pk,
                article=place[update.article_id],
                author=username(update.author_id),
            )
            for update in LiveUpdate.objects.order_by("pk").iterator(chunk_size=BATCH)
        ],
    }


def restore_live(restorer):
    """
    Write the archive's live coverage and updates, once its users and articles are in.
    Returns the article id of each update by its id, for the quotes said in them.
    """
    articles = restorer.articles

    def article_of(data, what):
        place = data["article"]
        if type(place) is not int or not 0 <= place < len(articles):
            raise ArchiveError(
                f"The archive's {what} names an article it does not hold: {place!r}."
            )
        return articles[place]

    covered = set()
    coverages = []
    for data in restorer.data.get("live_coverage", []):
        article = article_of(data, "live coverage")
        if article.pk in covered:
            raise ArchiveError(f"The archive covers the article “{article}” live twice.")
        covered.add(article.pk)
        coverage = from_row(
            LiveCoverage, data, plain_fields(LiveCoverage, COVERAGE_DERIVED), article=article
        )
        if coverage.ends_at is not None and coverage.ends_at < coverage.starts_at:
            raise ArchiveError(f"{coverage} ends before it starts.")
        coverage.summary_html = render_markdown(checked(coverage.summary, "closing summary"))
        coverages.append(coverage)
    create(LiveCoverage, coverages)

    updates, pinned = [], set()
    for data in restorer.data.get("live_updates", []):
        article = article_of(data, "live update")
        update = from_row(
            LiveUpdate,
            data,
            plain_fields(LiveUpdate, UPDATE_DERIVED),
            id=update_id(data["id"]),
            article=article,
            author_id=restorer.user_id(data["author"]),
        )
        if update.is_pinned:
            if article.pk in pinned:
                raise ArchiveError(
                    f"The archive pins two updates of the article “{article}”; "
                    "only one can be pinned."
                )
            pinned.add(article.pk)
        if not update.body.strip():
            raise ArchiveError(f"The archive's live update {update.pk} has no text.")
        update.body_html = render_markdown(checked(update.body, f"text of live update {update.pk}"))
        checked(update.correction, f"correction of live update {update.pk}")
        updates.append(update)
    if len({update.pk for update in updates}) < len(updates):
        raise ArchiveError("The archive lists two live updates with the same id.")
    create(LiveUpdate, updates)
    keep_ids_unused(LiveUpdate)
    return {update.pk: update.article_id for update in updates}


def update_id(value):
    if type(value) is not int or not 1 <= value <= MAX_UPDATE_ID:
        raise ArchiveError(f"The archive gives a live update an invalid id: {value!r}.")
    return value


def checked(text, what):
    """``text``, refused as a post refuses it: too long, or nested too deeply to render."""
    if problem := limits.too_long(what, text, MAX_UPDATE_CHARS) or nesting_problem(text):
        raise ArchiveError(f"The archive's {what} is refused: {problem}")
    return text


def quote_update(restorer, quote, article):
    """
    The id of the update an archived quote was said in (None: said in the body, or an
    archive from before live coverage), which must be an update of the quote's own
    article, numbered among the updates' quotes.
    """
    said_in = quote.get("update")
    if said_in is None:
        return None
    if type(said_in) is not int or restorer.live_updates.get(said_in) != article.pk:
        raise ArchiveError(
            f"A quote of the article “{article}” names a live update of that article that "
            f"the archive does not hold: {said_in!r}."
        )
    if type(quote.get("position")) is not int or quote["position"] < FIRST_UPDATE_QUOTE:
        raise ArchiveError(
            f"A quote of the article “{article}” said in live update {said_in} is numbered "
            f"{quote.get('position')!r}; quotes of updates are numbered from "
            f"{FIRST_UPDATE_QUOTE}."
        )
    return said_in


def keep_ids_unused(model):
    """
    Move the id sequence of ``model`` past the ids just written (SQLite's AUTOINCREMENT
    does so by itself), never back: an id a reader may have seen, of a row deleted since,
    is not handed out again.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            f"SELECT setval(%s, GREATEST((SELECT last_value FROM {sequence}), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table})))",
            [sequence],
        )
