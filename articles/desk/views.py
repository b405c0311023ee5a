"""
The article form's JSON endpoints (autosave, presence, preview), behind the admin's
login and CSRF check. The article admin checks who may use them on which article before
calling them.
"""

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from articles.desk import presence
from articles.desk import preview as desk_preview
from articles.desk.forms import AutosaveForm, PreviewForm
from articles.desk.models import Autosave


def refusal(message, status):
    return JsonResponse({"error": message}, status=status)


def autosave(request, article=None):
    """
    POST: keep the form's text as the user's autosave of ``article`` (or, for an article
    not saved yet, of the draft the form names); with ``discard``, forget it.

    Only the autosave row is written: the article, its edit number and its revisions are
    untouched, so an autosave never makes anyone's open form stale.
    """
    form = AutosaveForm(request.POST, needs_draft=article is None)
    if not form.is_valid():
        return refusal(form.first_error(), 400)
    owner = {"user": request.user, "article": article, "draft_key": form.cleaned_data["draft"]}
    if article is not None:
        owner["draft_key"] = None
    if request.POST.get("discard"):
        Autosave.objects.filter(**owner).delete()
        return JsonResponse({"discarded": True})
    text = {name: form.cleaned_data[name] for name in ("title", "standfirst", "body", "quotes")}
    text["base_version"] = form.cleaned_data["base_version"]
    text["saved_at"] = timezone.now()
    try:
        with transaction.atomic():
            _, created = Autosave.objects.update_or_create(**owner, defaults=text)
    except IntegrityError:
        # The same person's other tab created it at the same instant: theirs stands.
        return refusal(gettext("Another window saved this draft at the same moment."), 409)
    if created:
        # Purged lazily: when someone starts a new autosave, their old ones go.
        Autosave.objects.expired().filter(user=request.user).delete()
    saved_at = timezone.localtime(text["saved_at"])
    return JsonResponse({"saved_at": saved_at.isoformat(), "time": saved_at.strftime("%H:%M:%S")})


def heartbeat(request, article):
    """POST: the user has ``article`` open; answers with who else has (``others``)."""
    return JsonResponse({"others": presence.beat(article.pk, request.user)})


def preview(request, article=None):
    """
    POST: the form's text as readers would see it (``html``, a whole page for the preview
    pane) and the before-publish checklist (``checklist``), with the word count and
    reading time. ``article`` is the saved one, read for this request (None for a new
    one); nothing of the text is stored.
    """
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return refusal(form.first_error(), 400)
    draft, values = desk_preview.draft(form.cleaned_data, article, request.user)
    response = JsonResponse(
        {
            "html": desk_preview.preview_page(request, draft),
            "checklist": desk_preview.checklist_html(request, values),
            **desk_preview.counts(values),
        }
    )
    add_never_cache_headers(response)
    return response
