"""
The page a reader gets when the database cannot answer: 503 with Retry-After, never a 500.

A database that is down, unreachable, or (SQLite) locked past its busy timeout raises
``OperationalError`` (or ``InterfaceError`` for a connection lost on the way; a primary
that became a read-only standby, ``InternalError``). Django
turns an exception from any view or middleware into its 500 handler; this handler tells
that case apart and answers "temporarily unavailable" instead, so that browsers, crawlers
and load balancers retry later rather than record a broken page. Pages already in the
page cache are served meanwhile without touching the database (articles/cache.py).
"""

import sqlite3
import sys

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views import defaults

RETRY_AFTER_SECONDS = 30
# What SQLite says when the database is there but cannot be used just now. Its other
# operational errors (no such table or column, a syntax error) are faults of the
# deployment or the code: a 500, which monitoring counts, not a "try again".
SQLITE_UNAVAILABLE = (
    "database is locked",
    "database is busy",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
)
# PostgreSQL's read_only_sql_transaction: a primary that became a standby (failover).
READ_ONLY_AFTER_FAILOVER = "25006"


def page_not_found(request, exception):
    """Django's 404 page, without the alternates of an address that is no page."""
    return render(request, "404.html", error_context(request), status=404)


def bad_request(request, exception):
    """Django's 400 page, as the 404 one."""
    return render(request, "400.html", error_context(request), status=400)


def error_context(request):
    from articles import alternates

    return {"request_path": request.path, "alternates": alternates.of_error_page()}


def server_error(request):
    """Django's 500 handler, except for a database outage: then a 503."""
    if database_unavailable(sys.exception()):
        return service_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(error):
    """Whether ``error`` says the database cannot answer now, rather than that it is wrong."""
    if isinstance(error, InterfaceError):
        return True  # a connection lost on the way
    cause = error.__cause__
    if isinstance(error, InternalError):
        return getattr(cause, "sqlstate", None) == READ_ONLY_AFTER_FAILOVER
    if not isinstance(error, OperationalError):
        return False
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower().startswith(SQLITE_UNAVAILABLE)
    # PostgreSQL: cannot connect, connection lost, server shutting down, pool timeout...
    return True


def service_unavailable(request):
    # Rendered without the request's context processors: nothing here may need the database.
    if request.path.startswith("/api/"):
        detail = gettext("The service is temporarily unavailable. Try again shortly.")
        response = JsonResponse({"detail": detail, "errors": []}, status=503)  # as the API says
    else:
        context = {"SITE_NAME": settings.SITE_NAME, "retry_after": RETRY_AFTER_SECONDS}
        html = render_to_string("503.html", context)
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # a CDN must not keep the outage
    return response
