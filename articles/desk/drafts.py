"""
Offering an autosave back: finding it, saying what differs from the article, and
turning it into the initial values of the article form and its quote rows.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from articles import diff
from articles.desk.models import Autosave
from articles.models import Person, make_slug


def offered(user, article=None):
    """
    The autosave ``user`` may restore into the form of ``article``; on the add form
    (no article), their latest of an article never saved. None if there is none.
    """
    autosaves = Autosave.objects.fresh().filter(user=user)
    if article is not None:
        return autosaves.filter(article=article).first()
    return autosaves.filter(article=None).order_by("-saved_at").first()


def restoring(request, article=None):
    """The autosave the request asks to restore (``?restore=``), if it is the user's own."""
    wanted = request.GET.get("restore")
    if request.method != "GET" or not wanted:
        return None
    autosave = offered(request.user, article)
    if autosave is None or (article is None and str(autosave.draft_key) != wanted):
        return None
    return autosave


def snapshot(autosave, article=None):
    """The autosave as a diff snapshot; what it does not hold is taken from the article."""
    current = diff.snapshot_of_article(article) if article is not None else diff.Snapshot()
    people = Person.objects.in_bulk({q["speaker"] for q in autosave.quotes if q["speaker"]})
    current.title, current.standfirst, current.body = (
        autosave.title,
        autosave.standfirst,
        autosave.body,
    )
    current.quotes = [
        diff.quote_line(
            str(people.get(q["speaker"], gettext("(no speaker)"))), q["role"], q["text"]
        )
        for q in sorted(autosave.quotes, key=lambda q: q["position"] or 0)
    ]
    return current


def offer(autosave, article=None):
    """
    What the form shows about an autosave it could restore: when it was made, the
    parts that differ as word diffs, and where to restore it. None if nothing differs
    (a save raced with a last autosave of the same text).
    """
    saved = diff.snapshot_of_article(article) if article is not None else diff.Snapshot()
    rows = [row for row in diff.compare(saved, snapshot(autosave, article)) if row[1]]
    if not rows:
        return None
    if article is not None:
        url = reverse("admin:articles_article_change", args=[article.pk]) + "?restore=1"
    else:
        url = reverse("admin:articles_article_add") + f"?restore={autosave.draft_key}"
    return {
        "autosave": autosave,
        "saved_at": timezone.localtime(autosave.saved_at),
        "rows": rows,
        "restore_url": url,
        "saved_since": article is not None and autosave.base_version != article.edit_version,
    }


def restored_fields(autosave, article=None):
    """The form's initial text; a new article's slug follows the restored headline."""
    fields = {"title": autosave.title, "standfirst": autosave.standfirst, "body": autosave.body}
    if article is None:
        fields["slug"] = make_slug(autosave.title)
    return fields


def restored_quotes(autosave, saved_ids):
    """
    The autosave's quote rows as the formset wants them: changes to saved quotes by id
    (a saved quote it lacks was deleted in the form), and the rows never saved in order.
    """
    kept = {q["id"]: q for q in autosave.quotes if q["id"] in saved_ids}
    changes = {pk: filled(q, "role", "text", "position") for pk, q in kept.items()}
    changes.update({pk: {"DELETE": True} for pk in saved_ids if pk not in kept})
    new = [filled(q, "speaker", "role", "text", "position") for q in autosave.quotes
           if q["id"] not in kept]  # fmt: skip
    return changes, new


def filled(row, *names):
    """The values of ``row`` the form had filled in (an empty position stays the default)."""
    return {name: row[name] for name in names if row[name] is not None}
