"""
POST /api/ingest/: a story in, as plain text or ninjs, out as a draft for an editor.

Nothing sent here is ever published: the draft waits in the admin, owned by the
token's user. Tokens are per user, created by editors in the admin, stored hashed.
"""

import datetime
import json
import time

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from articles import importer, languages, limits, permissions
from articles.api import schemas
from articles.api.ninjs import NINJS_REF, ninjs_to_text, validation_problems
from articles.importer.analyse import names_query
from articles.importer.proposal import ProposedEvent
from articles.models import ApiToken, ArticleEvent, Event
from articles.structured_data import absolute
from articles.text import without_control_characters
from articles.translations import rules

router = Router(tags=["ingest"])

MAX_TAGS = 12


class TokenAuth(HttpBearer):
    """``Authorization: Bearer nr_…``: an active API token, its user active too."""

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            raise AuthenticationError(
                message=gettext(
                    "Send an API token as “Authorization: Bearer <token>”. "
                    "An editor creates tokens in the admin."
                )
            )
        return super().__call__(request)

    def authenticate(self, request, token):
        found = ApiToken.objects.authenticate(token.strip())
        if found is None:
            raise AuthenticationError(
                message=gettext("This API token is not valid: wrong, or revoked.")
            )
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found


class PerTokenRate(BaseThrottle):
    """At most API_INGEST_PER_MINUTE stories a minute per token (a fixed window in the cache)."""

    def allow_request(self, request):
        from django.core.cache import cache

        window = int(time.time() // 60)
        key = f"newsroom:ingest-rate:{request.auth.pk}:{window}"
        cache.add(key, 0, 90)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 90)
            count = 1
        return count <= settings.API_INGEST_PER_MINUTE

    def wait(self):
        return 60 - int(time.time()) % 60  # until the next window


REQUEST_BODY = {
    "required": True,
    "content": {
        "text/plain": {
            "schema": {"type": "string", "description": "Wire copy: headline on the first line."}
        },
        "application/json": {"schema": NINJS_REF},
    },
}


@router.post(
    "/ingest/",
    auth=TokenAuth(),
    throttle=[PerTokenRate()],
    response={
        201: schemas.IngestResult,
        400: schemas.Error,
        401: schemas.Error,
        403: schemas.Error,
        413: schemas.Error,
        415: schemas.Error,
        429: schemas.Error,
    },
    url_name="ingest",
    summary="Send a story: it becomes a draft for an editor",
    openapi_extra={"requestBody": REQUEST_BODY},
)
def ingest(
    request,
    response: HttpResponse,
    language: str | None = Query(
        None,
        max_length=20,
        description="The language the story is written in, one of the site's (“fr”); "
        "else a ninjs document's own `language`, else the site's first language.",
    ),
):
    """
    Plain text (`text/plain`, UTF-8: headline, then paragraphs) goes through the importer,
    which finds the standfirst, dateline, quotes with speakers, tags and events. A ninjs 2.1
    document (`application/json`) is validated against the standard, then read the same
    way, its headline, description, `located`, subjects, events and `language` taking
    precedence. A language that is not one of the site's is a 400. The answer links the
    draft in the admin.
    """
    user = request.auth.user
    if not permissions.can_ingest(user):
        raise HttpError(
            403, gettext("%(user)s may not create articles.") % {"user": user.get_username()}
        )
    limit = settings.API_INGEST_MAX_BYTES
    declared = request.headers.get("Content-Length") or "0"
    if not declared.isdigit() or int(declared) > limit or len(request.body) > limit:
        raise HttpError(
            413, gettext("A story may be at most %(limit)s KB.") % {"limit": limit // 1024}
        )
    if not request.body.strip():
        raise HttpError(
            400, gettext("The body is empty: send a story as text/plain or ninjs JSON.")
        )
    try:
        if request.content_type == "text/plain":
            proposal = importer.analyse(clean(importer.read_text(request.body)))
        elif request.content_type in ("application/json", "application/ninjs+json"):
            proposal = proposal_from_ninjs(request.body)
        else:
            raise HttpError(
                415, gettext("Send text/plain (UTF-8) or application/json (ninjs 2.1).")
            )
        if language is not None:
            proposal.language = site_language(language, "The language")
        refuse_unwritable_language(user, proposal.language or languages.default())
        article = importer.save_proposal(proposal, user=user, publish=False)
    except importer.ImportProblem as problem:
        return Status(400, {"detail": str(problem), "errors": getattr(problem, "errors", [])})
    except DatabaseError:
        return Status(
            400, {"detail": gettext("The story could not be saved: some value is too long.")}
        )
    admin_url = absolute(reverse("admin:articles_article_change", args=[article.pk]))
    response["Location"] = admin_url
    return Status(
        201,
        {
            "id": article.pk,
            "status": article.status,
            "headline": article.title,
            "admin_url": admin_url,
            "quotes": article.quotes.count(),
            "tags": [tag.name for tag in article.tags.all()],
            "notes": proposal.notes,
        },
    )


def clean(value):
    """Text a database can store: no lone surrogates, no control characters but tab and newline."""
    if isinstance(value, str):
        text = value.encode("utf-8", "ignore").decode("utf-8")
        return without_control_characters(text.replace("\r\n", "\n"))
    if isinstance(value, list):
        return [clean(item) for item in value]
    if isinstance(value, dict):
        return {clean(key): clean(item) for key, item in value.items()}
    return value


class NinjsProblem(importer.ImportProblem):
    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


def proposal_from_ninjs(body):
    try:
        document = json.loads(body)
    except RecursionError as error:
        raise NinjsProblem(too_deep_message()) from error
    except (UnicodeDecodeError, ValueError) as error:
        raise NinjsProblem(
            gettext("The body is not JSON: %(error)s.") % {"error": error}
        ) from error
    if not isinstance(document, dict):
        raise NinjsProblem(gettext("A ninjs document is a JSON object."))
    if nesting(document) > limits.MAX_JSON_NESTING:
        # Checking and cleaning it walk it recursively: refused before they run out of stack.
        raise NinjsProblem(too_deep_message())
    if problems := validation_problems(document):
        raise NinjsProblem(
            gettext("This is not valid ninjs 2.1: %(problem)s") % {"problem": problems[0]}, problems
        )
    document = clean(document)
    longest = max(
        (len(body.get("value") or "") for body in document.get("bodies") or []), default=0
    )
    if longest > limits.MAX_IMPORT_HTML_CHARS:
        raise NinjsProblem(
            gettext(
                "A body is %(count)s characters long; a story's body may be at most %(limit)s "
                "characters of HTML or text."
            )
            % {"count": f"{longest:,}", "limit": f"{limits.MAX_IMPORT_HTML_CHARS:,}"}
        )
    title, standfirst, text = ninjs_to_text(document)
    if not title:
        raise NinjsProblem(gettext("A story needs a headline: headlines[0].value."))
    published_on = None
    if document.get("firstcreated"):
        try:
            published_on = timezone.localdate(
                datetime.datetime.fromisoformat(document["firstcreated"])
            )
        except (TypeError, ValueError, OverflowError) as error:
            raise NinjsProblem(
                gettext("firstcreated must be a date and time with its offset (ISO 8601).")
            ) from error
    if len(text) > limits.MAX_IMPORT_CHARS:
        raise NinjsProblem(
            gettext(
                "The story is %(count)s characters long; a story may be at most %(limit)s "
                "(the longest article body)."
            )
            % {"count": f"{len(text):,}", "limit": f"{limits.MAX_IMPORT_CHARS:,}"}
        )
    proposal = importer.analyse(text, published_on)
    proposal.title = title[:250]
    proposal.standfirst = standfirst or proposal.standfirst
    proposal.dateline = (document.get("located") or proposal.dateline).strip()[:100]
    subjects = [s.get("name") or s.get("literal") or "" for s in document.get("subjects", [])]
    tags = {}
    for name in [*subjects, *proposal.tags]:
        name = " ".join(name.split())[:100]
        if name and name.casefold() not in tags:
            tags[name.casefold()] = name
    proposal.tags = list(tags.values())[:MAX_TAGS]
    add_events(proposal, document.get("events", []))
    if document.get("language"):
        proposal.language = site_language(document["language"], "The document's language")
    return proposal


def refuse_unwritable_language(user, code):
    """A 403 for a story in a language its writer is limited away from (as in the admin)."""
    if not rules.may_write_in(user, code):
        raise HttpError(403, gettext("You may not write articles in %s.") % languages.name(code))


def site_language(value, what):
    """
    The site's code for the language ``value`` names: itself (“fr”, “en-GB” for “en-gb”),
    or where the site has one language of it, that one (“en” on a British English site).
    """
    code = value.strip().lower().replace("_", "-")
    codes = languages.codes()
    if code in codes:
        return code
    alike = [known for known in codes if known.partition("-")[0] == code.partition("-")[0]]
    if len(alike) == 1:
        return alike[0]
    raise importer.ImportProblem(
        f"{what} “{value[:20]}” is not a language of this site; "
        f"its languages are: {', '.join(codes)}."
    )


def nesting(value):
    """How deeply arrays and objects are nested in ``value`` (parsed JSON), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def too_deep_message():
    return gettext(
        "The JSON nests arrays and objects more than %(limit)s deep; a ninjs document needs a "
        "few levels."
    ) % {"limit": limits.MAX_JSON_NESTING}


def add_events(proposal, events):
    """ninjs events the newsroom knows, linked with their ``rel`` as the kind of link."""
    kinds = set(ArticleEvent.Kind.values)
    looked_up = set()
    for item in events:
        name = " ".join((item.get("name") or "").split())
        if not name or name.casefold() in looked_up:
            continue
        if len(looked_up) == limits.MAX_IMPORT_EVENT_NAMES:
            proposal.notes.append(
                gettext(
                    "Only the first %(limit)s events were looked up; link the others in the admin."
                )
                % {"limit": limits.MAX_IMPORT_EVENT_NAMES}
            )
            break
        looked_up.add(name.casefold())
        known = Event.objects.filter(names_query("name", name)).first()
        if known is None:
            proposal.notes.append(
                gettext("The event “%(name)s” is not known yet: add it in the admin.")
                % {"name": name[:100]}
            )
            continue
        kind = item.get("rel") if item.get("rel") in kinds else ArticleEvent.Kind.MENTIONS
        proposal.events = [e for e in proposal.events if e.existing_id != known.pk]
        proposal.events.append(
            ProposedEvent(
                name=known.name, kind=kind, existing_id=known.pk, starts_on=known.starts_on
            )
        )
