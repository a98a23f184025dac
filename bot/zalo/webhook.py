"""POST /zalo/webhook: check, record, answer 200 at once; the inbox handles the event after.

Zalo wants a 200 within 2 seconds or it retries (and eventually disables the webhook),
so the only work before the answer is the signature, the replay window and one short
transaction that records the event (deduplicated on ``message.msg_id``). Answers:

* 413 body over 64 KB, 400 not JSON / not an event / no timestamp,
* 401 unsigned, wrongly signed, or older (or newer) than the replay window,
* 200 for everything else; only what a user did is recorded (receipts, the OA's own
  echoes and events of other Zalo products are acknowledged and dropped).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import web

from bot.context import AppContext
from bot.settings import Settings
from bot.zalo import signature
from bot.zalo.events import CHANNEL, BadEvent, ZaloEvent, read
from consultations import events

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024
Handler = Callable[[web.Request], Awaitable[web.Response]]
PRIVATE_FIELDS = ("info",)  # user_submit_info: name, phone, address; never stored


class WebhookGuard:
    """The signature check as configured (variant, enforce or report) and the replay window."""

    def __init__(self, settings: Settings) -> None:
        self.scheme = signature.parse_variant(settings.zalo_signature_variant)
        self.report_only = settings.zalo_signature_mode.strip().lower() == "report"
        self.window = timedelta(seconds=settings.zalo_replay_window_seconds)
        self.keys = signature.Keys(
            app_id=settings.zalo_app_id or "",
            oa_id=settings.zalo_oa_id or "",
            oa_secret_key=_secret(settings.zalo_oa_secret_key),
            app_secret=_secret(settings.zalo_app_secret),
        )
        needed = self.keys.app_secret if self.scheme.app_secret else self.keys.oa_secret_key
        if not needed:
            log.error("the Zalo webhook secret is not configured: every call fails the check")

    def signed(self, request: web.Request, raw: bytes, data: dict[str, Any]) -> bool:
        """True when the call is signed as configured; in report mode a failure is only logged."""
        expected = signature.expected_mac(
            self.scheme, self.keys, raw, str(data.get("timestamp") or ""),
            request.headers.get(signature.TIMESTAMP_HEADER, ""),
        )
        given = request.headers.get(signature.SIGNATURE_HEADER, "")
        if given and signature.matches(given, expected):
            return True
        reason = "missing" if not given else "wrong"
        if self.report_only:
            log.warning("Zalo webhook signature %s (report mode: accepted)", reason)
            return True
        log.warning("Zalo webhook call refused: signature %s", reason)
        return False

    def fresh(self, event: ZaloEvent, ctx: AppContext) -> bool:
        """Within the replay window either side of now (clocks drift a little)."""
        assert event.timestamp_ms is not None
        now_ms = ctx.uow.clock.now().timestamp() * 1000
        return abs(now_ms - event.timestamp_ms) <= self.window.total_seconds() * 1000


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


def webhook_handler(ctx: AppContext, guard: WebhookGuard, wake: Callable[[], None]) -> Handler:
    """The route handler; `wake` tells the inbox a new event was recorded."""

    async def webhook(request: web.Request) -> web.Response:
        raw = await _read_body(request)
        if raw is None:
            return web.Response(status=413, text="too large")
        data = _json_object(raw)
        if data is None:
            return web.Response(status=400, text="not a JSON object")
        if not guard.signed(request, raw, data):
            return web.Response(status=401, text="bad signature")
        try:
            event = read(data)
        except BadEvent as error:
            log.warning("Zalo webhook: %s", error)
            return web.Response(status=400, text="not an event we can handle")
        if event.timestamp_ms is None:
            return web.Response(status=400, text="no timestamp")
        if not guard.fresh(event, ctx):
            log.warning("Zalo webhook: %s outside the replay window refused", event.name)
            return web.Response(status=401, text="stale event")
        if event.actionable and await _record(ctx, event, data):
            wake()
        return web.Response(text="ok")

    return webhook


async def _read_body(request: web.Request) -> bytes | None:
    """The raw body (the signature is over these bytes), or None when over the cap."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return None
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    return raw if len(raw) <= MAX_BODY_BYTES else None


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


async def _record(ctx: AppContext, event: ZaloEvent, data: dict[str, Any]) -> bool:
    """Record the event durably in its own transaction; False for one seen before."""
    kept = {key: value for key, value in data.items() if key not in PRIVATE_FIELDS}
    async with ctx.uow() as uow:
        fresh = await events.record(uow, CHANNEL, event.event_id, kept)
        await uow.commit()
    if not fresh:
        log.info("Zalo event %s delivered again; already recorded", event.name)
    return fresh
