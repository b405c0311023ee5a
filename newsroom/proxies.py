"""
The address of the client a request came from, seen through the proxies in front.

Behind nginx (docs/deploy.md) every request reaches gunicorn from nginx's address, and
the client's is the entry nginx appended to X-Forwarded-For. Only the entries our own
proxies appended are trusted: the right-most ``TRUSTED_PROXY_COUNT`` of them. Whatever
stands to their left came from the client, who can write anything there. And the header
is read only on a connection from one of ``TRUSTED_PROXIES``: a client that reaches
gunicorn around the proxy wrote every entry of it.

The address is the key the login lockout counts failures under, so it is normalised:
an IPv4 address written as IPv6 (``::ffff:192.0.2.1``) is the IPv4 one, and an IPv6
client is keyed on its /64, the smallest block a home or a server is given, since one
host can use every address in it.
"""

import functools
import ipaddress
import logging

from django.conf import settings
from django.core import checks

log = logging.getLogger("newsroom.proxies")

IPV6_CLIENT_PREFIX = 64


def client_address(request):
    """The address the outermost trusted proxy saw the request come from."""
    connected = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0 or not from_trusted_proxy(connected):
        return lockout_key(connected)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return lockout_key(connected)  # not through the proxy: a health check, say
    # With fewer entries than proxies, the request entered behind the outermost one and
    # the left-most entry is the first a trusted proxy wrote.
    candidate = entries[-min(proxies, len(entries))]
    address = parse_entry(candidate)
    if address is None:
        # A proxy that writes no address is misconfigured, and every client would share
        # the proxy's own address: one lockout for everyone. Say so.
        log.warning(
            "X-Forwarded-For entry %r is not an address; counting login failures against "
            "the proxy's address %s instead (check TRUSTED_PROXY_COUNT and the proxy).",
            candidate[:100],
            connected,
        )
        return lockout_key(connected)
    return lockout_key(address)


def parse_entry(entry):
    """The address in one X-Forwarded-For entry, with any port a balancer added; or None."""
    if entry.startswith("["):  # [2001:db8::1] or [2001:db8::1]:443
        host, bracket, rest = entry[1:].partition("]")
        if not bracket or (rest and not (rest[0] == ":" and rest[1:].isdigit())):
            return None
        entry = host
    elif entry.count(":") == 1:  # 192.0.2.1:5555; a bare IPv6 address has several
        host, _, port = entry.partition(":")
        if not port.isdigit():
            return None
        entry = host
    try:
        return ipaddress.ip_address(entry)
    except ValueError:
        return None


def lockout_key(address):
    """The address failures are counted under: IPv4 as is, IPv6 by its /64."""
    if not isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address):
        try:
            address = ipaddress.ip_address(address)
        except ValueError:
            return address  # a Unix socket has no address: nothing to normalise
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False)
        return str(network.network_address)
    return str(address)


@functools.cache
def trusted_networks(proxies):
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies if proxy != "*"]


def from_trusted_proxy(connected):
    """Whether the connection came from a proxy allowed to write X-Forwarded-For."""
    proxies = tuple(settings.TRUSTED_PROXIES)
    if "*" in proxies:
        return True
    try:
        address = ipaddress.ip_address(connected)
    except ValueError:
        return True  # a Unix socket: only this machine's processes can connect (as gunicorn)
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in trusted_networks(proxies))


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs, **kwargs):
    """In production, warn when the lockout would count every client as the proxy."""
    if not getattr(settings, "PRODUCTION", False) or settings.TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        checks.Warning(
            "TRUSTED_PROXY_COUNT is 0: the login lockout counts failures against the "
            "connection's address. Behind nginx or a load balancer that is the proxy's "
            "address, shared by every client, so a password guesser locks the accounts "
            "they try out for everyone.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
            "X-Forwarded-For (1 behind the documented nginx, 2 with a load balancer in "
            "front of it; see docs/deploy.md). If gunicorn faces clients directly, 0 is "
            "right: add 'newsroom.W001' to SILENCED_SYSTEM_CHECKS.",
            id="newsroom.W001",
        )
    ]
