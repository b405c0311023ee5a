"""
The content API at /api/: published content for apps and partners, and an ingest
endpoint for agencies and tools. Built with django-ninja, so the OpenAPI document at
/api/openapi.json is made from the same typed code that answers.
"""

from django.http import Http404
from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from articles.api import ingest, ninjs, read
from articles.live import api as live_api

DESCRIPTION = """
Everything readers can see on the site, as JSON: articles with their quotes, tags,
events and corrections, and the tags, events and people. Only published articles
whose publication time has come are ever shown. No key is needed to read, and any
web page may call the read endpoints (CORS).

Lists are paginated: follow `next` and `previous`. Every answer carries an `ETag`;
send it back as `If-None-Match` to get `304 Not Modified` when nothing changed.

Each article is also available as [IPTC ninjs 2.1](https://iptc.org/standards/ninjs/).

`POST /api/ingest/` creates a **draft** from plain text or a ninjs document. It needs
an API token, created by an editor in the admin, sent as `Authorization: Bearer <token>`.

Errors are JSON: `{"detail": "what is wrong", "errors": [...]}`.
"""


class NewsroomAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"].setdefault("schemas", {}).update(ninjs.openapi_components())
        return schema


api = NewsroomAPI(
    title="Newsroom content API",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    # No calls to the schema validator's site: the page loads from this site alone.
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
)
api.add_router("", read.router)
api.add_router("", live_api.router)
api.add_router("", ingest.router)


def error(request, status, detail, errors=(), headers=None):
    response = api.create_response(
        request, {"detail": detail, "errors": list(errors)}, status=status
    )
    for header, value in (headers or {}).items():
        response[header] = value
    return response


@api.exception_handler(ValidationError)
def invalid_request(request, exc):
    """400, not 422: each problem said with where it is (``query.from``, ``path.id``)."""
    problems = [
        f"{'.'.join(str(part) for part in problem.get('loc', ()))}: {problem.get('msg', 'invalid')}"
        for problem in exc.errors
    ]
    message = gettext("The request is not valid: %(problems)s") % {"problems": "; ".join(problems)}
    return error(request, 400, message, problems)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, str(exc) or gettext("Not found."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return error(request, 401, str(exc), headers={"WWW-Authenticate": 'Bearer realm="api"'})


@api.exception_handler(HttpError)
def http_error(request, exc):
    response = error(request, exc.status_code, str(exc))
    if wait := getattr(exc, "wait", None):
        response["Retry-After"] = str(int(wait) + 1)
    return response
