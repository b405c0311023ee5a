"""
The planning desk's part of the newsroom archive (see ``articles.archive``): coverage
with its event by slug, its writers by username and its article by its place in the
archive's list of articles; each event's planning record (found in copy, the calendar's
sequence). Archives written before the planning desk have neither, and restore without.
"""

from articles.archive import ArchiveError, create, from_row, plain_fields, row
from articles.models import Article
from articles.planning.models import Coverage, EventPlanning


def export_planning(username):
    """The planning rows, JSON-ready; ``username`` names a user id."""
    place = {
        pk: n for n, pk in enumerate(Article.objects.order_by("pk").values_list("pk", flat=True))
    }
    return {
        "coverage": [
            row(
                piece,
                plain_fields(Coverage),
                event=piece.event.slug,
                assignee=username(piece.assignee_id),
                created_by=username(piece.created_by_id),
                article=place.get(piece.article_id),
            )
            for piece in Coverage.objects.select_related("event").order_by("pk")
        ],
        "event_planning": [
            row(
                record,
                plain_fields(EventPlanning),
                event=record.event.slug,
                found_in=place.get(record.found_in_id),
            )
            for record in EventPlanning.objects.select_related("event").order_by("pk")
        ],
    }


def restore_planning(restorer):
    """Write the archive's planning rows, once its users, events and articles are in."""
    articles = restorer.articles

    def article_id(place):
        if place is None:
            return None
        if not isinstance(place, int) or not 0 <= place < len(articles):
            raise ArchiveError(
                f"The archive's planning names an article it does not hold: {place!r}."
            )
        return articles[place].pk

    data = restorer.data
    create(
        Coverage,
        [
            from_row(
                Coverage,
                piece,
                plain_fields(Coverage),
                event_id=restorer.lookup("event", piece["event"]),
                assignee_id=restorer.user_id(piece["assignee"]),
                created_by_id=restorer.user_id(piece["created_by"]),
                article_id=article_id(piece["article"]),
            )
            for piece in data.get("coverage", [])
        ],
    )
    create(
        EventPlanning,
        [
            from_row(
                EventPlanning,
                record,
                plain_fields(EventPlanning),
                event_id=restorer.lookup("event", record["event"]),
                found_in_id=article_id(record["found_in"]),
            )
            for record in data.get("event_planning", [])
        ],
    )
