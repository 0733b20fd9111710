"""The client's address: the one place a request's origin is read.

Behind a TLS proxy every connection comes from the proxy, so REMOTE_ADDR names the proxy,
not the person. `NEEDLEPOINT_TRUSTED_PROXIES` says how many proxies in front of the app
append to `X-Forwarded-For`; the address the outermost trusted proxy saw is then the
client. With 0 (the default) the header is ignored: anyone can send it, so it is trusted
only when the operator says a proxy writes it (docs/decisions/0240-client-address.md).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(raw: str) -> str:
    """A valid IP address (without port or brackets), or ""."""
    value = raw.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    """The address of the person making the request ("" when it cannot be known)."""
    remote = _address(str(request.META.get("REMOTE_ADDR", "")))
    trusted = int(getattr(settings, "NEEDLEPOINT_TRUSTED_PROXIES", 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if trusted <= 0 or not forwarded:
        return remote
    hops = [hop for hop in (part.strip() for part in forwarded.split(",")) if hop]
    # REMOTE_ADDR is the nearest proxy; each further trusted proxy appended the address it
    # saw, so the client is the N-th entry from the right. Entries left of it are whatever
    # the client chose to send and are never believed.
    if len(hops) < trusted:
        return remote
    return _address(hops[-trusted]) or remote
