"""The console's session: an encrypted, signed cookie of its own, separate from the chat's.

aiohttp_session's middleware keeps one session per request under a shared key,
so a second middleware nested in the same app would save the console's session
into the web chat's cookie as well. The console therefore loads and saves its
cookie itself, under its own request key, with its own name and path.

Signed-in sessions end after IDLE without a request or ABSOLUTE after sign-in,
measured on the application clock (tests move it); the cookie's own lifetime is
only a backstop.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import web
from aiohttp_session import Session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.admin.state import SESSION, console_of
from bot.settings import Settings

COOKIE_NAME = "consultbot_admin"
IDLE = timedelta(hours=2)
ABSOLUTE = timedelta(hours=12)
SEEN_STEP = 60  # seconds: do not rewrite the cookie on every click
AUTH_KEYS = ("staff_id", "auth_at", "seen_at")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def cookie_storage(key: bytes, settings: Settings) -> EncryptedCookieStorage:
    return EncryptedCookieStorage(
        key,
        cookie_name=COOKIE_NAME,
        path="/admin",
        httponly=True,
        samesite="Lax",
        secure=settings.secure_cookies,
        max_age=int(ABSOLUTE.total_seconds()),
    )


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    storage = console_of(request).storage
    session = await storage.load_session(request)
    request[SESSION] = session
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if session._changed:
            await storage.save_session(request, exc, session)
        raise
    if session._changed and not response.prepared:
        await storage.save_session(request, response, session)
    return response


def session_of(request: web.Request) -> Session:
    return request[SESSION]


def now_seconds(request: web.Request) -> float:
    return console_of(request).ctx.uow.clock.now().timestamp()


def start(request: web.Request, staff_id: int) -> None:
    """A fresh signed-in session: new CSRF token, nothing carried over but the language."""
    session = session_of(request)
    locale = session.get("locale")
    session.clear()
    now = now_seconds(request)
    session.update({"staff_id": staff_id, "auth_at": now, "seen_at": now,
                    "csrf": secrets.token_urlsafe(32)})
    if locale:
        session["locale"] = locale


def end(request: web.Request) -> None:
    """Sign out: forget who it was and the token, keep the language."""
    session = session_of(request)
    for key in (*AUTH_KEYS, "csrf"):
        session.pop(key, None)


def signed_in_staff(request: web.Request) -> tuple[int | None, bool]:
    """(staff id, expired): the id while the session is fresh; expired tells why it is not."""
    session = session_of(request)
    staff_id, auth_at, seen_at = (session.get(key) for key in AUTH_KEYS)
    if not isinstance(staff_id, int) or not isinstance(auth_at, float | int):
        return None, False
    now = now_seconds(request)
    seen = seen_at if isinstance(seen_at, float | int) else auth_at
    if now - auth_at > ABSOLUTE.total_seconds() or now - seen > IDLE.total_seconds():
        end(request)
        return None, True
    if now - seen > SEEN_STEP:
        session["seen_at"] = now
    return staff_id, False


def flash(request: web.Request, key: str, *, error: bool = False, **params: Any) -> None:
    """A message shown once on the next page (after a redirect); `error` styles it as one."""
    session_of(request)["flash"] = [key, params, "error" if error else "done"]


def pop_flash(request: web.Request) -> tuple[str, dict[str, Any], str] | None:
    value = session_of(request).pop("flash", None)
    if isinstance(value, list) and len(value) == 3 and isinstance(value[1], dict):
        return str(value[0]), value[1], str(value[2])
    return None
