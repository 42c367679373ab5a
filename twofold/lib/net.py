"""Who is on the other end of a request: the client address behind trusted proxies.

``X-Forwarded-For`` is a list every hop appends to, and its left end is written by the
client, so anyone can put any address there. With ``TWOFOLD_TRUSTED_PROXY_COUNT = N``
proxies of our own in front of the app, the last N entries were written by them and the
N-th from the right is the address our outermost proxy saw: that is the client. Entries
further left are ignored. With N = 0 (the default) the header is ignored and the
connecting address (``REMOTE_ADDR``) is the client.

allauth's rate limits (through the account adapter) and the audit log both ask
:func:`client_ip`, so they always agree on who the client is.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _clean(value: str) -> str | None:
    """``value`` as a plain IP address, or None when it is not one.

    Proxies sometimes add a port (``203.0.113.7:5123``, ``[2001:db8::1]:443``).
    """
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def trusted_proxy_count() -> int:
    return int(getattr(settings, "TWOFOLD_TRUSTED_PROXY_COUNT", 0))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: rightmost-N rule with N trusted proxies, else REMOTE_ADDR.

    When the header has fewer entries than there are trusted proxies, the request did
    not come through all of them, so nothing in the header can be trusted and the
    connecting address is used.
    """
    remote = _clean(request.META.get("REMOTE_ADDR", "") or "")
    count = trusted_proxy_count()
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return _clean(forwarded[-count]) or remote
