"""POST /telegram/webhook: the secret is checked, the update handled, then 200.

The 200 may carry one Bot API call as JSON (Telegram runs it): how a button press is
answered without a request of our own.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiohttp import web

from bot.telegram.updates import MalformedUpdate

log = logging.getLogger(__name__)
MAX_UPDATE_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
Handler = Callable[[web.Request], Awaitable[web.Response]]


class UpdateProcessor(Protocol):
    webhook_secret: str

    async def process(
        self, data: dict[str, Any], *, webhook: bool = False
    ) -> dict[str, Any] | None: ...


def webhook_handler(bridge: UpdateProcessor) -> Handler:
    """The route handler for one bridge; the update is committed before the 200."""

    async def webhook(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not bridge.webhook_secret or not hmac.compare_digest(given, bridge.webhook_secret):
            return web.Response(status=403, text="forbidden")
        data = await _read_update(request)
        if isinstance(data, web.Response):
            return data
        try:
            call = await bridge.process(data, webhook=True)
        except MalformedUpdate as error:
            log.warning("malformed update rejected: %s", error)
            return web.Response(status=400, text="malformed update")
        # Any other failure propagates to a 500: Telegram delivers the update again.
        if call is not None:  # a Bot API call Telegram makes for us (answering a button)
            return web.json_response(call)
        return web.Response(text="ok")

    return webhook


async def _read_update(request: web.Request) -> dict[str, Any] | web.Response:
    """The update as a dict, or the 4xx that answers a body no Telegram server sends."""
    if (request.content_length or 0) > MAX_UPDATE_BYTES:
        return web.Response(status=413, text="too large")
    raw = await request.content.read(MAX_UPDATE_BYTES + 1)
    if len(raw) > MAX_UPDATE_BYTES:
        return web.Response(status=413, text="too large")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return web.Response(status=400, text="malformed JSON")
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return web.Response(status=400, text="not an update")
    return data
