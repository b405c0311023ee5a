"""
Health checks for a load balancer or an orchestrator.

``/healthz``: the process is up and answering (touches nothing else).
``/readyz``: it can serve pages: the database (and its replica, if any) answers a
query and the cache stores and returns a value. 503 with the failing parts otherwise.
Neither is ever cached, by the page cache or anyone else.

They are answered by a middleware ahead of everything else, so that a check reaches
them whatever the Host header (a load balancer often uses the server's address), over
plain HTTP, and even while the cache, which the page cache reads first, is down.
"""

import logging
import threading
import time
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


def database_ok(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_ok():
    key, value = f"newsroom:readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


# /readyz answers within this many seconds, however many parts are down or slow.
READY_DEADLINE = 2.5


def run_check(name, check, alias, results):
    try:
        results[name] = "ok" if check() else "wrong answer"
    except Exception:  # any failure means not ready; the details go to the log only
        logger.exception("Readiness check %s failed", name)
        results[name] = "unreachable"
    finally:
        # Each check runs in a thread of its own: its connections must not outlive it.
        if alias is not None:
            connections[alias].close()


@never_cache
def readyz(request):
    checks = {f"database:{alias}": (lambda a=alias: database_ok(a), alias) for alias in connections}
    checks["cache"] = (cache_ok, None)
    # The checks run at once, each in its own thread: a primary and a replica both down cost
    # one connection timeout, not one each, and nothing takes longer than READY_DEADLINE.
    results = {}
    threads = [
        threading.Thread(target=run_check, args=(name, check, alias, results), daemon=True)
        for name, (check, alias) in checks.items()
    ]
    deadline = time.monotonic() + READY_DEADLINE
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    results = {name: results.get(name, "no answer in time") for name in checks}
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": results},
        status=200 if ready else 503,
    )


class HealthCheckMiddleware:
    checks = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        check = self.checks.get(request.path_info)
        if check is not None and request.method in ("GET", "HEAD"):
            return check(request)
        return self.get_response(request)
