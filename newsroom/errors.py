"""
The page a reader gets when the database cannot answer: 503 with Retry-After, never a 500.

A database that is down, unreachable, or (SQLite) locked past its busy timeout raises
``OperationalError`` (or ``InterfaceError`` for a connection lost on the way). Django
turns an exception from any view or middleware into its 500 handler; this handler tells
that case apart and answers "temporarily unavailable" instead, so that browsers, crawlers
and load balancers retry later rather than record a broken page. Pages already in the
page cache are served meanwhile without touching the database (articles/cache.py).
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """Django's 500 handler, except for a database outage: then a 503."""
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return defaults.server_error(request)


def service_unavailable(request):
    # Rendered without the request's context processors: nothing here may need the database.
    if request.path.startswith("/api/"):
        detail = "The service is temporarily unavailable. Try again shortly."
        response = JsonResponse({"detail": detail, "errors": []}, status=503)  # as the API says
    else:
        html = render_to_string("503.html", {"SITE_NAME": settings.SITE_NAME})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # a CDN must not keep the outage
    return response
