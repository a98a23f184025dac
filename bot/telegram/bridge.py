"""The Telegram bridge: PTB for Telegram I/O, our flows for everything else.

A PTB Application without its own Updater (the custom-webhook pattern) lives in our
aiohttp server. Updates are handled here, not through PTB handlers: an update is
fully processed and committed before the webhook answers 200 (Telegram never
redelivers an update it got a 2xx for), and before polling moves its offset.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, ExtBot

from bot.context import AppContext
from bot.ingest import IngestBatcher, batch_workers, handled_as_staff_work
from bot.outbox.sender import ChannelSender
from bot.telegram.commands import publish_commands
from bot.telegram.request import AiohttpRequest
from bot.telegram.sender import TelegramSender
from bot.telegram.updates import CHANNEL, MalformedUpdate, Meaning, classify
from bot.telegram.webhook import webhook_handler
from consultations import outbox
from handlers.messages import Inbound, Reply
from handlers.texts import locale_of, t
from storage import secrets

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_TIMEOUT = 25
MAX_FAILURES_PER_UPDATE = 5


def build_application(token: str, api_base_url: str) -> Application[Any, Any, Any, Any, Any, Any]:
    """PTB on our aiohttp request backend, pointed at TELEGRAM_API_BASE_URL, no Updater."""
    base = api_base_url.rstrip("/")
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .request(AiohttpRequest(connection_pool_size=64))
        .get_updates_request(AiohttpRequest(connection_pool_size=2, read_timeout=POLL_TIMEOUT + 10))
        .updater(None)
        .build()
    )


class TelegramBridge:
    """Receives updates (webhook or polling), runs them through the flows, answers callbacks."""

    def __init__(self, ctx: AppContext) -> None:
        token = ctx.settings.telegram_bot_token
        assert token is not None, "the bridge is only built when TELEGRAM_BOT_TOKEN is set"
        self.ctx = ctx
        self.application = build_application(token.get_secret_value(),
                                             ctx.settings.telegram_api_base_url)
        self.webhook_secret = ""
        self._failures: dict[int, int] = defaultdict(int)
        self.batcher = IngestBatcher(ctx.uow, ctx.flow_settings, workers=batch_workers(ctx),
                                     dispatcher=lambda: ctx.dispatcher)

    @property
    def bot(self) -> ExtBot[Any]:
        bot: ExtBot[Any] = self.application.bot
        return bot

    async def start(self) -> None:
        """Log in (getMe), publish commands, then set the webhook or start polling."""
        await self.application.initialize()
        await publish_commands(self.bot)
        self.webhook_secret = await self._secret()
        public = self.ctx.settings.public_url
        if public:
            await self.bot.set_webhook(
                url=f"{public.rstrip('/')}/telegram/webhook", secret_token=self.webhook_secret,
                allowed_updates=ALLOWED_UPDATES, max_connections=40,
            )
            log.info("Telegram webhook set; bot @%s", self.bot.username)
        else:
            await self.bot.delete_webhook()
            self.ctx.tasks.spawn("telegram-polling", self._poll_forever())
            log.info("Telegram polling started; bot @%s", self.bot.username)

    async def stop(self) -> None:
        await self.batcher.close()
        await self.application.shutdown()

    def setup_routes(self, app: web.Application) -> None:
        app.router.add_post("/telegram/webhook", webhook_handler(self))

    def senders(self) -> list[ChannelSender]:
        settings = self.ctx.settings
        return [TelegramSender(self.bot, paid_broadcast=settings.telegram_paid_broadcast,
                               per_second=settings.telegram_messages_per_second)]

    async def _secret(self) -> str:
        configured = self.ctx.settings.telegram_webhook_secret
        if configured is not None:
            return configured.get_secret_value()
        async with self.ctx.uow() as uow:
            value = await secrets.get_or_create(uow, "telegram_webhook_secret")
            await uow.commit()
        return value[:64]

    def parse(self, data: dict[str, Any]) -> Update:
        """A PTB Update, or MalformedUpdate for a body no Telegram server would send."""
        try:
            return Update.de_json(data, self.bot)
        except (TypeError, KeyError, ValueError, AttributeError) as error:
            raise MalformedUpdate(str(error)[:200]) from error

    async def process(
        self, data: dict[str, Any], *, webhook: bool = False
    ) -> dict[str, Any] | None:
        """Handle one update to the end (committed), or raise so it is delivered again.

        A button press must be answered (or the client shows a spinner). From a webhook
        the answer rides back in the HTTP response as a Bot API call, which Telegram
        runs, so no request of our own is spent on it; the call is returned for that.
        """
        update = self.parse(data)
        meaning = classify(update, self.bot.id)
        if meaning.ignored:
            log.debug("update %s ignored: %s", update.update_id, meaning.ignored)
        else:
            async with self.ctx.metrics.flow(CHANNEL), self.ctx.locks.hold(_chat_key(meaning)):
                queued = await self._handle(meaning)
            if queued:
                self.ctx.wake_dispatcher()
        query = update.callback_query
        if query is None:
            return None
        if webhook:
            return {"method": "answerCallbackQuery", "callback_query_id": query.id}
        await self._answer_callback(query.id)
        return None

    async def _handle(self, meaning: Meaning) -> bool:
        """True when the dispatcher should look for new rows (the batcher sees to its own)."""
        citizen = meaning.citizen
        if await handled_as_staff_work(self.ctx, meaning.staff):
            return True
        if citizen is None:
            return False
        if not self._throttled(citizen):
            await self.batcher.handle(citizen)  # with the events of others that came too
            return False
        async with self.ctx.uow() as uow:
            await self._slow_down(uow, citizen)
            await uow.commit()
        return True

    def _throttled(self, inbound: Inbound) -> bool:
        return self.ctx.flood.allow(f"{CHANNEL}:{inbound.user_ref}") > 0

    async def _slow_down(self, uow: Any, inbound: Inbound) -> None:
        """One polite notice per ten seconds to a flooding chat; the flood itself is dropped."""
        window = int(uow.now().timestamp() // 10)
        locale = locale_of(inbound.locale_hint)
        await outbox.enqueue(
            uow, channel=CHANNEL, recipient=inbound.user_ref,
            payload=Reply(t(locale, "throttled")).to_payload(),
            dedupe_key=f"throttle:{CHANNEL}:{inbound.user_ref}:{window}",
        )

    async def _answer_callback(self, query_id: str) -> None:
        """Always answer a button press, or the client shows a spinner for seconds."""
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as error:
            log.info("answerCallbackQuery failed: %s", error.message)

    async def _poll_forever(self) -> None:
        """getUpdates; the offset only moves past updates that are committed."""
        offset: int | None = None
        backoff = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
                backoff = 1.0
            except Conflict:
                log.warning("another getUpdates consumer is running; retrying in 5 s")
                await asyncio.sleep(5)
                continue
            except NetworkError as error:
                log.warning("getUpdates failed (%s); retrying in %.0f s", error.message, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 60)
                continue
            offset = await self._process_batch(updates, offset)

    async def _process_batch(self, updates: tuple[Update, ...], offset: int | None) -> int | None:
        """Chats concurrently, each chat in order; returns the next offset to ask for."""
        by_chat: dict[int, list[Update]] = defaultdict(list)
        for update in updates:
            chat = update.effective_chat
            by_chat[chat.id if chat else 0].append(update)
        failed = await asyncio.gather(*(self._process_chat(items) for items in by_chat.values()))
        first_failed = min((u for u in failed if u is not None), default=None)
        if first_failed is not None:
            return first_failed
        if not updates:
            return offset
        return max(u.update_id for u in updates) + 1

    async def _process_chat(self, updates: list[Update]) -> int | None:
        """The id of the first update that failed (to fetch again), or None."""
        for update in updates:
            try:
                await self.process(update.to_dict())
                self._failures.pop(update.update_id, None)
            except Exception:
                self._failures[update.update_id] += 1
                if self._failures[update.update_id] >= MAX_FAILURES_PER_UPDATE:
                    log.exception("update %s failed %d times; skipping it", update.update_id,
                                  MAX_FAILURES_PER_UPDATE)
                    continue
                log.exception("update %s failed; it will be fetched again", update.update_id)
                await asyncio.sleep(1)
                return update.update_id
        return None


def _chat_key(meaning: Meaning) -> str:
    """The lock that keeps one chat's updates in order."""
    if meaning.citizen is not None:
        return f"{CHANNEL}:{meaning.citizen.user_ref}"
    assert meaning.staff is not None
    return f"{CHANNEL}:{meaning.staff.chat_ref}"
