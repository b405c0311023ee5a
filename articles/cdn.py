"""Purging a CDN by surrogate key, for CDN_PURGE_HANDLER."""

import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Header values are bounded by most servers; send long lists in several requests.
KEYS_PER_REQUEST = 128


def purge_by_http(keys):
    """
    POST the renewed keys to CDN_PURGE_URL in a ``Surrogate-Key`` header, space-separated:
    the form Fastly's purge API and Varnish's xkey take (point the URL at the service's
    purge endpoint, with any token in the URL or a proxy that adds it).
    """
    if not settings.CDN_PURGE_URL:
        raise ImproperlyConfigured("CDN_PURGE_URL must be set to purge a CDN by HTTP.")
    keys = list(keys)
    for start in range(0, len(keys), KEYS_PER_REQUEST):
        request = urllib.request.Request(
            settings.CDN_PURGE_URL,
            method="POST",
            headers={"Surrogate-Key": " ".join(keys[start : start + KEYS_PER_REQUEST])},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
