"""
The article form's two JSON endpoints, behind the admin's login and CSRF check. The
article admin checks who may use them on which article before calling them.
"""

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone

from articles.desk import presence
from articles.desk.forms import AutosaveForm
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
        return refusal("Another window saved this draft at the same moment.", 409)
    if created:
        # Purged lazily: when someone starts a new autosave, their old ones go.
        Autosave.objects.expired().filter(user=request.user).delete()
    saved_at = timezone.localtime(text["saved_at"])
    return JsonResponse({"saved_at": saved_at.isoformat(), "time": saved_at.strftime("%H:%M:%S")})


def heartbeat(request, article):
    """POST: the user has ``article`` open; answers with who else has (``others``)."""
    return JsonResponse({"others": presence.beat(article.pk, request.user)})
