"""
The providers the newsroom embeds, recognised by address, and nothing else.

Each provider says which addresses are its own, the frame a reader loads on request (a
privacy-enhanced host where there is one), and its oEmbed endpoint, from settings so that
the tests point them at a local server. Only these endpoints are ever asked: an address an
editor typed is matched here and never fetched itself.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from django.conf import settings
from django.utils.translation import gettext

MAX_URL_LENGTH = 1000


@dataclass(frozen=True)
class Match:
    provider: "Provider"
    url: str
    ids: dict  # what the frame address is made of: a video id, a user and post...

    @property
    def oembed_endpoint(self):
        return self.provider.oembed_endpoint(self)

    def frame_url(self, metadata=None):
        return self.provider.frame_url(self, metadata or {})


class Provider:
    key = ""
    name = ""
    kind = "post"  # what a reader loads: a video, a post, a document
    hosts = ()

    def match(self, parts):
        """The ids of the frame for a split https address of this provider, or None."""
        raise NotImplementedError

    def frame_url(self, match, metadata):
        return ""

    def oembed_endpoint(self, match):
        return settings.EMBED_OEMBED_ENDPOINTS.get(self.key, "")

    def frame_origins(self):
        return []


class YouTube(Provider):
    key, name, kind = "youtube", "YouTube", "video"
    hosts = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be")
    VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")

    def match(self, parts):
        path = parts.path.strip("/").split("/")
        if parts.hostname == "youtu.be":
            candidate = path[0]
        elif path[0] == "watch":
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif path[0] in ("shorts", "embed", "live") and len(path) > 1:
            candidate = path[1]
        else:
            return None
        return {"video": candidate} if self.VIDEO_ID.match(candidate) else None

    def frame_url(self, match, metadata):
        return f"https://www.youtube-nocookie.com/embed/{match.ids['video']}"

    def frame_origins(self):
        return ["https://www.youtube-nocookie.com"]


class Vimeo(Provider):
    key, name, kind = "vimeo", "Vimeo", "video"
    hosts = ("vimeo.com", "www.vimeo.com", "player.vimeo.com")
    VIDEO = re.compile(r"^(?:video/)?(\d{1,12})$")

    def match(self, parts):
        found = self.VIDEO.match(parts.path.strip("/"))
        return {"video": found.group(1)} if found else None

    def frame_url(self, match, metadata):
        return f"https://player.vimeo.com/video/{match.ids['video']}?dnt=1"

    def frame_origins(self):
        return ["https://player.vimeo.com"]


class Bluesky(Provider):
    key, name = "bluesky", "Bluesky"
    hosts = ("bsky.app",)
    POST = re.compile(r"^profile/([A-Za-z0-9.:_-]{1,253})/post/([A-Za-z0-9]{1,64})$")
    AT_URI = re.compile(r"at://(did:[a-z]+:[A-Za-z0-9._:%-]+)/app\.bsky\.feed\.post/([A-Za-z0-9]+)")

    def match(self, parts):
        found = self.POST.match(parts.path.strip("/"))
        return {"actor": found.group(1), "post": found.group(2)} if found else None

    def frame_url(self, match, metadata):
        # The frame names the account by its DID, which the oEmbed answer gives (or the
        # address, when it names the account so): without it, readers get the link only.
        actor = match.ids["actor"]
        found = self.AT_URI.search(metadata.get("html") or "")
        did = found.group(1) if found else (actor if actor.startswith("did:") else "")
        if not did:
            return ""
        return f"https://embed.bsky.app/embed/{did}/app.bsky.feed.post/{match.ids['post']}"

    def frame_origins(self):
        return ["https://embed.bsky.app"]


class Mastodon(Provider):
    """Mastodon has no one host: the servers the newsroom embeds from are listed in
    settings (EMBED_MASTODON_HOSTS), and only those are recognised, framed and asked."""

    key, name = "mastodon", "Mastodon"
    POST = re.compile(r"^@([A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9.-]{1,253})?)/(\d{1,24})$")

    @property
    def hosts(self):
        return tuple(settings.EMBED_MASTODON_HOSTS)

    def match(self, parts):
        found = self.POST.match(parts.path.strip("/"))
        if not found:
            return None
        return {"host": parts.hostname, "user": found.group(1), "post": found.group(2)}

    def frame_url(self, match, metadata):
        ids = match.ids
        return f"https://{ids['host']}/@{ids['user']}/{ids['post']}/embed"

    def oembed_endpoint(self, match):
        template = settings.EMBED_OEMBED_ENDPOINTS.get(self.key, "")
        return template.replace("{host}", match.ids["host"])

    def frame_origins(self):
        return [f"https://{host}" for host in settings.EMBED_MASTODON_HOSTS]


class X(Provider):
    key, name = "x", "X"
    hosts = ("x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com")
    POST = re.compile(r"^([A-Za-z0-9_]{1,15})/status/(\d{1,24})$")

    def match(self, parts):
        found = self.POST.match(parts.path.strip("/"))
        return {"user": found.group(1), "post": found.group(2)} if found else None

    def frame_url(self, match, metadata):
        return f"https://platform.twitter.com/embed/Tweet.html?id={match.ids['post']}&dnt=true"

    def frame_origins(self):
        return ["https://platform.twitter.com"]


class Pdf(Provider):
    """A PDF document anywhere on the web: shown as a link to it, never framed (framing it
    would mean allowing every host in the Content Security Policy) and never fetched."""

    key, name, kind = "pdf", "PDF document", "document"

    def match(self, parts):
        if not parts.path.lower().endswith(".pdf"):
            return None
        return {"file": parts.path.rsplit("/", 1)[-1]}

    def oembed_endpoint(self, match):
        return ""


PROVIDERS = {
    provider.key: provider for provider in (YouTube(), Vimeo(), Bluesky(), Mastodon(), X(), Pdf())
}


class UnknownEmbed(ValueError):
    """An address that no provider the newsroom embeds recognises."""


def supported():
    """The providers, as an editor reads them in a message."""
    mastodon = ", ".join(settings.EMBED_MASTODON_HOSTS) or "none configured"
    return (
        "YouTube, Vimeo, Bluesky, Mastodon (" + mastodon + "), X and PDF documents "
        "(an https address ending in .pdf)"
    )


def recognise(url):
    """The provider's ``Match`` for ``url``; raises UnknownEmbed with a message."""
    url = (url or "").strip()
    if not url:
        raise UnknownEmbed(gettext("An embed needs the address of what to embed."))
    if len(url) > MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in url):
        raise UnknownEmbed(gettext("That is not an address we can embed."))
    refused = UnknownEmbed(f"“{url[:100]}” is not an address we embed. We embed {supported()}.")
    # A control character once decoded (%00) would reach titles, which no database holds.
    if any(ord(c) < 32 for c in unquote(url)):
        raise refused
    try:
        parts = urlsplit(url)
        port = parts.port  # read here: a port out of range or not a number raises
    except ValueError as error:  # nor can a host such as "[::1" be read
        raise refused from error
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise UnknownEmbed(f"“{url[:100]}” is not an https address. We embed {supported()}.")
    if port not in (None, 443):
        raise refused
    host = parts.hostname.lower()
    for provider in PROVIDERS.values():
        if provider.hosts and host not in provider.hosts:
            continue
        ids = provider.match(parts)
        if ids is not None:
            return Match(provider, url, ids)
    raise UnknownEmbed(f"“{url[:100]}” is not an address we embed. We embed {supported()}.")


def frame_origins():
    """Every origin a reader's browser may load a provider's frame from (the CSP's frame-src)."""
    return sorted({origin for p in PROVIDERS.values() for origin in p.frame_origins()})


def endpoint_url(match):
    """The oEmbed address asked for ``match``: the provider's endpoint, the URL a parameter."""
    endpoint = match.oembed_endpoint
    if not endpoint:
        return ""
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}format=json&url={quote(match.url, safe='')}"
