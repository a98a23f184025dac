"""The address a console request came from, as the audit log and the lock-out see it.

Behind a reverse proxy every request arrives from the proxy, so one address
would be locked out for everybody. When the direct peer is on loopback (the
proxy on the same host, the default HTTP_HOST 127.0.0.1), the last entry of
X-Forwarded-For is taken: the one the proxy itself appended. Entries before it
come from the client and are ignored. A peer that is not loopback is taken as is.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web


def remote_addr(request: web.Request) -> str:
    peer = request.remote or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "")
    if not forwarded or not _is_loopback(peer):
        return peer[:64]
    last = forwarded.split(",")[-1].strip()
    return last[:64] if _is_address(last) else peer[:64]


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
