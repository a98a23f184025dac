"""The web chat: a static page at / and a small JSON API under /api/chat."""

from __future__ import annotations

import functools
import json
import re
import secrets
from importlib import resources
from typing import Any

from aiohttp import web
from aiohttp_session import get_session

from bot.context import APP_CONTEXT, AppContext
from consultations import outbox
from consultations.vocab import MAX_TEXT_LENGTH
from handlers.dispatch import dispatch, reply_key
from handlers.messages import Inbound
from handlers.texts import t
from storage.models import OutboxMessage

CHANNEL = "webchat"
MAX_BODY_BYTES = 64 * 1024
EVENT_ID = re.compile(r"[A-Za-z0-9_-]{8,100}")
STATIC_FILES = {
    "chat.js": "application/javascript",
    "chat.css": "text/css",
    "favicon.svg": "image/svg+xml",
}
# Vietnamese stays readable in responses (and a third shorter than \u escapes).
_dumps = functools.partial(json.dumps, ensure_ascii=False)
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _static(name: str) -> bytes:
    return resources.files("bot.webchat").joinpath("static", name).read_bytes()


async def index(_: web.Request) -> web.Response:
    return web.Response(
        body=_static("index.html"), content_type="text/html", charset="utf-8", headers=PAGE_HEADERS
    )


async def static_file(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.Response(
        body=_static(name),
        content_type=STATIC_FILES[name],
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300"},
    )


async def _visitor(request: web.Request) -> tuple[str, str]:
    """The anonymous visitor id held in the signed session cookie, and their locale."""
    session = await get_session(request)
    visitor = session.get("visitor")
    if not isinstance(visitor, str):
        visitor = secrets.token_urlsafe(18)
        session["visitor"] = visitor
    locale = session.get("locale")
    return visitor, locale if locale in ("vi", "en") else "vi"


def _error(
    status: int, key: str, locale: str, headers: dict[str, str] | None = None
) -> web.Response:
    message = t(locale, key, limit=MAX_TEXT_LENGTH)
    return _json({"error": message}, status, headers)


def _replies(rows: list[OutboxMessage]) -> dict[str, Any]:
    replies = [{"id": row.id, **_public(row.payload)} for row in rows]
    return {"replies": replies, "last_id": rows[-1].id if rows else 0}


def _public(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": payload.get("text", ""),
        "buttons": payload.get("buttons") or [],
        "attachment": payload.get("attachment"),
    }


async def history(request: web.Request) -> web.Response:
    ctx: AppContext = request.app[APP_CONTEXT]
    visitor, _ = await _visitor(request)
    async with ctx.uow() as uow:
        rows = await outbox.history(uow, CHANNEL, visitor)
    return _json(_replies(rows))


async def updates(request: web.Request) -> web.Response:
    ctx: AppContext = request.app[APP_CONTEXT]
    visitor, _ = await _visitor(request)
    try:
        after = int(request.query.get("after", "0"))
    except ValueError:
        after = 0
    async with ctx.uow() as uow:
        rows = await outbox.deliver_in_response(uow, CHANNEL, visitor, after_id=after)
        await uow.commit()
    return _json(_replies(rows))


async def post_message(request: web.Request) -> web.Response:
    """One message or button press; the same event_id twice returns the same replies."""
    ctx: AppContext = request.app[APP_CONTEXT]
    visitor, locale = await _visitor(request)
    parsed = await _parse_body(request)
    if isinstance(parsed, str):
        return _error(413 if parsed == "error.too_long" else 400, parsed, locale)
    wait = ctx.flood.allow(f"{CHANNEL}:{visitor}")
    if wait:
        return _error(429, "throttled", locale, {"Retry-After": str(max(1, round(wait)))})
    inbound = Inbound(
        channel=CHANNEL,
        user_ref=visitor,
        event_id=parsed["event_id"],
        text=parsed.get("text"),
        action=parsed.get("action"),
        locale_hint=request.headers.get("Accept-Language"),
    )
    async with ctx.metrics.flow(CHANNEL), ctx.locks.hold(visitor):
        rows, new_locale = await _handle(ctx, inbound)
    if new_locale != locale:
        (await get_session(request))["locale"] = new_locale
    return _json(_replies(rows))


async def _handle(ctx: AppContext, inbound: Inbound) -> tuple[list[OutboxMessage], str]:
    """Dispatch, then hand over everything pending for this visitor in the same response."""
    async with ctx.uow() as uow:
        result = await dispatch(uow, inbound, ctx.flow_settings)
        if result.duplicate:
            prefix = reply_key(inbound.channel, inbound.event_id, 0)[:-1]
            return await outbox.by_dedupe_prefix(uow, prefix), result.locale
        rows = await outbox.deliver_in_response(uow, CHANNEL, inbound.user_ref)
        await uow.commit()
        return rows, result.locale


async def _parse_body(request: web.Request) -> dict[str, str] | str:
    """The validated body, or the text key of a polite error."""
    if request.content_type != "application/json":
        return "error.bad_request"
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return "error.too_long"
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        return "error.too_long"
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return "error.bad_request"
    if not isinstance(body, dict) or not EVENT_ID.fullmatch(str(body.get("event_id", ""))):
        return "error.bad_request"
    text, action = body.get("text"), body.get("action")
    if (text is None) == (action is None):
        return "error.bad_request"
    if not isinstance(text if text is not None else action, str):
        return "error.bad_request"
    return {k: v for k, v in body.items() if k in ("event_id", "text", "action")}


def setup(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_get("/static/{name}", static_file)
    app.router.add_get("/api/chat/history", history)
    app.router.add_get("/api/chat/updates", updates)
    app.router.add_post("/api/chat", post_message)


def _json(data: object, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=_dumps)
