"""
The address of the client a request came from, seen through the proxies in front.

Behind nginx (docs/deploy.md) every request reaches gunicorn from nginx's address, and
the client's is the entry nginx appended to X-Forwarded-For. Only the entries our own
proxies appended are trusted: the right-most ``TRUSTED_PROXY_COUNT`` of them. Whatever
stands to their left came from the client, who can write anything there.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The address the outermost trusted proxy saw the request come from."""
    connected = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return connected
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return connected  # not through the proxy: a health check on the loopback, say
    # With fewer entries than proxies, the request entered behind the outermost one and
    # the left-most entry is the first a trusted proxy wrote.
    candidate = entries[-min(proxies, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return connected  # a proxy that writes no address: misconfigured, not a client's
