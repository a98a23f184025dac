"""POST /zalo-bot/webhook: the secret header is checked, the update handled, then 200."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiohttp import web

from bot.zalo_bot.updates import MalformedUpdate, unwrap

log = logging.getLogger(__name__)
PATH = "/zalo-bot/webhook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1024 * 1024
Handler = Callable[[web.Request], Awaitable[web.Response]]


class UpdateProcessor(Protocol):
    webhook_secret: str

    async def process(self, update: dict[str, Any]) -> None: ...


def webhook_handler(bridge: UpdateProcessor) -> Handler:
    """The route handler for one bridge; the update is committed before the 200."""

    async def webhook(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        expected = bridge.webhook_secret.encode()
        if not expected or not hmac.compare_digest(given, expected):
            return web.Response(status=403, text="forbidden")
        body = await _read_json(request)
        if isinstance(body, web.Response):
            return body
        try:
            await bridge.process(unwrap(body))
        except MalformedUpdate as error:
            log.warning("malformed Zalo Bot update rejected: %s", error)
            return web.Response(status=400, text="malformed update")
        # Any other failure propagates to a 500, so the platform may deliver it again.
        return web.json_response({"message": "Success"})

    return webhook


async def _read_json(request: web.Request) -> Any:
    """The body as JSON, or the 4xx that answers a body no Zalo server sends."""
    if (request.content_length or 0) > MAX_UPDATE_BYTES:
        return web.Response(status=413, text="too large")
    raw = await request.content.read(MAX_UPDATE_BYTES + 1)
    if len(raw) > MAX_UPDATE_BYTES:
        return web.Response(status=413, text="too large")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return web.Response(status=400, text="malformed JSON")
