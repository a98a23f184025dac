"""The Zalo Bot Platform bridge: webhook or long polling in, our flows, the outbox out.

Like Telegram's bot API in shape, but without buttons (replies list them as numbered
lines; a typed number picks one), without update ids (the event name and message id
name an event) and with getUpdates returning one update per call. An update is fully
handled and committed before the webhook answers 200, and before the next poll.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

from aiohttp import web

from bot.context import AppContext
from bot.ingest import IngestBatcher, batch_workers, handled_as_staff_work
from bot.outbox.sender import ChannelSender
from bot.zalo_bot.api import ApiError, TransportError, ZaloBotApi
from bot.zalo_bot.sender import ZaloBotSender
from bot.zalo_bot.updates import CHANNEL, MalformedUpdate, Meaning, classify
from bot.zalo_bot.webhook import PATH, webhook_handler
from consultations import numbered_options, outbox
from handlers.messages import Inbound, Reply
from handlers.texts import locale_of, t
from storage import secrets
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
POLL_TIMEOUT = 25
MAX_FAILURES_PER_UPDATE = 5
MAX_SECRET = 256  # setWebhook takes a secret of 8 to 256 characters


class ZaloBotBridge:
    """Receives Zalo Bot updates (webhook or polling) and runs them through the flows."""

    def __init__(self, ctx: AppContext, *, poll_timeout: int = POLL_TIMEOUT) -> None:
        token = ctx.settings.zalo_bot_token
        assert token is not None, "the bridge is only built when ZALO_BOT_TOKEN is set"
        self.ctx = ctx
        self.api = ZaloBotApi(token.get_secret_value(), ctx.settings.zalo_bot_api_base_url)
        self.poll_timeout = poll_timeout
        self.webhook_secret = ""
        self.batcher = IngestBatcher(ctx.uow, ctx.flow_settings, workers=batch_workers(ctx),
                                     dispatcher=lambda: ctx.dispatcher)

    def setup_routes(self, app: web.Application) -> None:
        app.router.add_post(PATH, webhook_handler(self))

    def senders(self) -> list[ChannelSender]:
        return [ZaloBotSender(self.api)]

    async def start(self) -> None:
        """Check the token (getMe), then set the webhook or start polling."""
        await self.api.open()
        me = await self.api.get_me()
        self.webhook_secret = await self._secret()
        public = self.ctx.settings.public_url
        if public:
            await self.api.set_webhook(f"{public.rstrip('/')}{PATH}", self.webhook_secret)
            log.info("Zalo Bot webhook set; bot %s", me.get("account_name", "?"))
        else:
            await self.api.delete_webhook()
            self.ctx.tasks.spawn("zalo-bot-polling", self._poll_forever())
            log.info("Zalo Bot polling started; bot %s", me.get("account_name", "?"))

    async def stop(self) -> None:
        await self.batcher.close()
        await self.api.close()

    async def _secret(self) -> str:
        configured = self.ctx.settings.zalo_bot_webhook_secret
        if configured is not None:
            return configured.get_secret_value()
        async with self.ctx.uow() as uow:
            value = await secrets.get_or_create(uow, "zalo_bot_webhook_secret")
            await uow.commit()
        return value[:MAX_SECRET]

    async def process(self, update: dict[str, Any]) -> None:
        """Handle one update to the end (committed), or raise so it is handled again."""
        meaning = classify(update)
        if meaning.ignored:
            log.debug("Zalo Bot update ignored: %s", meaning.ignored)
            return
        async with self.ctx.metrics.flow(CHANNEL), self.ctx.locks.hold(_chat_key(meaning)):
            queued = await self._handle(meaning)
        if queued:
            self.ctx.wake_dispatcher()

    async def _handle(self, meaning: Meaning) -> bool:
        """True when the dispatcher should look for new rows (the batcher sees to its own)."""
        citizen = meaning.citizen
        if await handled_as_staff_work(self.ctx, meaning.staff):
            return True
        if citizen is None:
            return False
        async with self.ctx.uow() as uow:
            if self.ctx.flood.allow(f"{CHANNEL}:{citizen.user_ref}") > 0:
                await _slow_down(uow, citizen)
                await uow.commit()
                return True
            citizen = await _with_picked_option(uow, citizen)
        await self.batcher.handle(citizen)  # with the events of others that came too
        return False

    async def _poll_forever(self) -> None:
        """getUpdates, one update at a time; the next poll only once it is committed."""
        backoff = 1.0
        while True:
            try:
                update = await self.api.get_updates(self.poll_timeout)
                backoff = 1.0
            except (ApiError, TransportError) as error:
                log.warning("getUpdates failed (%s); retrying in %.0f s", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 60.0)
                continue
            if update is not None:
                await self._process_polled(update)

    async def _process_polled(self, update: dict[str, Any]) -> None:
        """Retry a failing update in place: once polled, Zalo will not hand it out again."""
        for attempt in range(1, MAX_FAILURES_PER_UPDATE + 1):
            try:
                await self.process(update)
                return
            except MalformedUpdate as error:
                log.warning("malformed Zalo Bot update dropped: %s", error)
                return
            except Exception:
                log.exception("Zalo Bot update failed (attempt %d)", attempt)
                await asyncio.sleep(attempt)
        log.error("Zalo Bot update dropped after %d failures", MAX_FAILURES_PER_UPDATE)


async def _with_picked_option(uow: UnitOfWork, inbound: Inbound) -> Inbound:
    """A bare number that picks one of the options last listed becomes that option's action."""
    if inbound.text is None:
        return inbound
    action = await numbered_options.action_for(uow, CHANNEL, inbound.user_ref, inbound.text)
    return inbound if action is None else dataclasses.replace(inbound, text=None, action=action)


async def _slow_down(uow: UnitOfWork, inbound: Inbound) -> None:
    """One polite notice per ten seconds to a flooding chat; the flood itself is dropped."""
    window = int(uow.now().timestamp() // 10)
    await outbox.enqueue(
        uow, channel=CHANNEL, recipient=inbound.user_ref,
        payload=Reply(t(locale_of(inbound.locale_hint), "throttled")).to_payload(),
        dedupe_key=f"throttle:{CHANNEL}:{inbound.user_ref}:{window}",
    )


def _chat_key(meaning: Meaning) -> str:
    """The lock that keeps one chat's updates in order."""
    if meaning.citizen is not None:
        return f"{CHANNEL}:{meaning.citizen.user_ref}"
    assert meaning.staff is not None
    return f"{CHANNEL}:{meaning.staff.chat_ref}"
