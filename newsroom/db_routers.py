"""
Public reads from a read replica.

With DATABASE_REPLICA_URL set, the pages that readers who are not logged in request
(GET or HEAD, outside the admin) read from the ``replica`` database. Everything else
uses ``default``: every write, the admin, logged-in staff, and sessions, users and
login records even on a public request, so that nothing about a login is read from a
copy that may lag behind.
"""

from contextvars import ContextVar

from django.conf import settings

public_read = ContextVar("public_read", default=False)

ALWAYS_PRIMARY_APPS = {"sessions", "auth", "axes", "admin"}


def is_public_read(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(f"/{settings.ADMIN_URL}")
    )


class PublicReadMiddleware:
    """Marks the handling of a public read, for PublicReadRouter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = public_read.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            public_read.reset(token)


class PublicReadRouter:
    def db_for_read(self, model, **hints):
        if public_read.get() and model._meta.app_label not in ALWAYS_PRIMARY_APPS:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: rows from either may be related

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"  # the replica receives the primary's schema by replication
