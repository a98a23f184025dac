"""Synchronizer-token CSRF defence: one random token per session, checked on every POST.

The token lives in the encrypted session cookie and in a hidden field of every
form (`{{ csrf_field() }}`); another site can make a browser send the cookie,
but cannot read the page to learn the token. A missing or wrong token is a 403
page, and nothing the request asked for is done.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.admin.errors import ConsoleError
from bot.admin.forms import read_form
from bot.admin.session import session_of

log = logging.getLogger(__name__)
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def token(request: web.Request) -> str:
    """This session's token, created on first use."""
    session = session_of(request)
    value = session.get("csrf")
    if not isinstance(value, str) or len(value) < 32:
        value = secrets.token_urlsafe(32)
        session["csrf"] = value
    return value


async def valid(request: web.Request) -> bool:
    expected = session_of(request).get("csrf")
    form = await read_form(request)
    given = form.get(FIELD) or request.headers.get(HEADER, "")
    if not isinstance(expected, str) or not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method not in SAFE_METHODS and not await valid(request):
        log.warning("console request without a valid CSRF token: %s %s", request.method,
                    request.path)
        raise ConsoleError(403, "admin.error.csrf", audit="console.csrf_rejected")
    return await handler(request)
