"""
What a provider says of an embedded address, asked once through its oEmbed endpoint.

Only the provider's own endpoint is asked (``providers.endpoint_url``), within a short
time limit, with no redirect followed; its thumbnail is taken only from the origins
listed for that provider (``EMBED_THUMBNAIL_ORIGINS``) and goes through the picture checks
of every upload (``articles.images``) before it is stored as our own copy. Offline, or
refused, the answer says why in words an editor understands, and the embed is kept with
what is known: it can be refreshed later.

An answer is kept here for a few minutes, so that the admin can ask before its save's
transaction (a network wait never holds the database) and the save then finds it.
"""

import io
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from articles.embeds import providers
from articles.images import open_picture

logger = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 256 * 1024
MAX_THUMBNAIL_BYTES = 5 * 1024 * 1024
KEPT_SECONDS = 300


@dataclass
class Fetched:
    """What was learnt of an address: metadata (maybe none), a decoded thumbnail, a problem."""

    metadata: dict = field(default_factory=dict)
    thumbnail: object = None  # a PIL image, checked
    problem: str = ""
    at: float = field(default_factory=time.monotonic)


class Refused(Exception):
    pass


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise Refused(f"it answered with a redirect ({code})")


_opener = urllib.request.build_opener(NoRedirects)
_kept = {}


def get(url, limit):
    request = urllib.request.Request(
        url, headers={"User-Agent": f"{settings.SITE_NAME} embeds", "Accept": "*/*"}
    )
    with _opener.open(request, timeout=settings.EMBED_FETCH_TIMEOUT) as response:
        body = response.read(limit + 1)
    if len(body) > limit:
        raise Refused("its answer is too large")
    return body


def fetch(match):
    """What the provider of ``match`` says of it (a ``Fetched``, kept a few minutes)."""
    kept = _kept.get(match.url)
    if kept is not None and time.monotonic() - kept.at < KEPT_SECONDS:
        return kept
    fetched = ask(match)
    _kept[match.url] = fetched
    if len(_kept) > 256:
        _kept.pop(next(iter(_kept)))
    return fetched


def forget(url):
    _kept.pop(url, None)


def ask(match):
    endpoint = providers.endpoint_url(match)
    if not endpoint:
        return Fetched()
    name = match.provider.name
    try:
        answer = json.loads(get(endpoint, MAX_ANSWER_BYTES))
        if not isinstance(answer, dict):
            raise Refused("its answer is not an oEmbed document")
    except TimeoutError:
        return Fetched(problem=timed_out(name))
    except urllib.error.HTTPError as error:
        return Fetched(problem=f"{name} refused to describe it (HTTP {error.code}): it may "
                       "be private, deleted, or not allow embedding.")  # fmt: skip
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            return Fetched(problem=timed_out(name))
        return Fetched(problem=f"{name} could not be reached ({reason}): are we offline?")
    except (Refused, ValueError) as error:
        return Fetched(problem=f"{name}'s answer was not usable: {error}.")
    metadata = read_metadata(answer)
    fetched = Fetched(metadata=metadata)
    thumbnail_url = answer.get("thumbnail_url")
    if isinstance(thumbnail_url, str) and thumbnail_url:
        fetched.thumbnail, fetched.problem = thumbnail(match, thumbnail_url)
    return fetched


def timed_out(name):
    return f"{name} did not answer within {settings.EMBED_FETCH_TIMEOUT:g} seconds."


def read_metadata(answer):
    def text(key, length):
        value = answer.get(key)
        return " ".join(value.split())[:length] if isinstance(value, str) else ""

    def number(key):
        value = answer.get(key)
        return value if isinstance(value, int) and 0 < value <= 10_000 else None

    author_url = text("author_url", 500)
    if urlsplit(author_url).scheme != "https":
        author_url = ""
    return {
        "title": text("title", 300),
        "author_name": text("author_name", 200),
        "author_url": author_url,
        "width": number("width"),
        "height": number("height"),
        # Read for the frame's address only (Bluesky's DID), never shown.
        "html": text("html", 5000),
    }


def thumbnail(match, url):
    """(the provider's thumbnail, decoded and checked, or None; a problem, or "")."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    allowed = settings.EMBED_THUMBNAIL_ORIGINS.get(match.provider.key, [])
    if origin not in allowed:
        return None, ""  # not from where this provider keeps its pictures: not asked
    try:
        image = open_picture(io.BytesIO(get(url, MAX_THUMBNAIL_BYTES)))
    except ValidationError as error:
        return None, f"Its picture was refused: {' '.join(error.messages)}"
    except (TimeoutError, OSError, Refused, urllib.error.URLError) as error:
        return None, f"Its picture could not be fetched ({error})."
    return image, ""
