"""POST /telegram/webhook: the secret is checked, the update handled, then 200."""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web

from bot.telegram.bridge import MalformedUpdate, TelegramBridge

log = logging.getLogger(__name__)
TELEGRAM_BRIDGE = web.AppKey("consultbot.telegram", TelegramBridge)
MAX_UPDATE_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def webhook(request: web.Request) -> web.Response:
    bridge = request.app[TELEGRAM_BRIDGE]
    given = request.headers.get(SECRET_HEADER, "")
    if not bridge.webhook_secret or not hmac.compare_digest(given, bridge.webhook_secret):
        return web.Response(status=403, text="forbidden")
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
    try:
        await bridge.process(data)
    except MalformedUpdate as error:
        log.warning("malformed update rejected: %s", error)
        return web.Response(status=400, text="malformed update")
    # Any other failure propagates to a 500: Telegram delivers the update again.
    return web.Response(text="ok")


def setup(app: web.Application, bridge: TelegramBridge) -> None:
    app[TELEGRAM_BRIDGE] = bridge
    app.router.add_post("/telegram/webhook", webhook)
