"""Webhook delivery to a small aiohttp app: secret header, re-delivery, concurrency, replies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram.error import BadRequest

from bot.telegram.standin import BotApiStandin, DeliveryPolicy, make_text_update
from tests.telegram.tg_helpers import BotFactory, StandinFactory, eventually

FAST = DeliveryPolicy(initial_backoff_s=0.05, max_backoff_s=0.2, request_timeout_s=2.0)


@dataclass
class Receiver:
    """A webhook endpoint that records what it got and answers as scripted."""

    url: str = ""
    received: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    reply: dict[str, Any] | None = None
    delay: float = 0.0
    active: int = 0
    max_active: int = 0
    got: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            await asyncio.sleep(self.delay)
            update = await request.json()
            self.received.append((update, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
            self.got.set()
            status = self.statuses.pop(0) if self.statuses else 200
            if status == 200 and self.reply is not None:
                return web.json_response(self.reply)
            return web.Response(status=status)
        finally:
            self.active -= 1

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len([u for u, _ in self.received]) < count:
                self.got.clear()
                await self.got.wait()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    app = web.Application()
    hook = Receiver()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield hook
    await runner.cleanup()


async def test_delivery_with_secret_and_redelivery_after_500(
    make_standin: StandinFactory, make_bot: BotFactory, receiver: Receiver
) -> None:
    standin = await make_standin(delivery=FAST)
    bot = await make_bot(standin)
    receiver.statuses = [500]
    await bot.set_webhook(receiver.url, secret_token="s3cret-Token_1")
    update = standin.inject_update(make_text_update(5, "Tôi góp ý"))
    await receiver.wait_for(2)
    assert [u["update_id"] for u, _ in receiver.received] == [update["update_id"]] * 2
    assert {secret for _, secret in receiver.received} == {"s3cret-Token_1"}
    await eventually(lambda: standin.webhook_deliveries[-1].status is not None)
    assert [(a.attempt, a.status) for a in standin.webhook_deliveries] == [(1, 500), (2, 200)]
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_unreachable_webhook_keeps_updates_for_get_updates(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    standin = await make_standin(delivery=FAST)
    bot = await make_bot(standin)
    await bot.set_webhook("http://127.0.0.1:9/closed-port")
    standin.inject_update(make_text_update(5, "một"))
    standin.inject_update(make_text_update(5, "hai"))
    await asyncio.sleep(0.3)
    assert len(standin.webhook_deliveries) >= 2
    assert all(a.status is None and a.error for a in standin.webhook_deliveries)
    assert (await bot.get_webhook_info()).pending_update_count == 2
    await bot.delete_webhook()
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["một", "hai"]


async def test_max_connections_bounds_concurrent_deliveries(
    make_standin: StandinFactory, make_bot: BotFactory, receiver: Receiver
) -> None:
    standin = await make_standin(delivery=FAST)
    bot = await make_bot(standin)
    receiver.delay = 0.05
    await bot.set_webhook(receiver.url, max_connections=3)
    for number in range(12):
        standin.inject_update(make_text_update(100 + number, "xin chào"))
    await receiver.wait_for(12)
    assert receiver.max_active == 3
    assert standin.stats()["webhook_max_concurrent"] == 3


async def test_pending_updates_move_to_the_webhook_unless_dropped(
    make_standin: StandinFactory, make_bot: BotFactory, receiver: Receiver
) -> None:
    standin = await make_standin(delivery=FAST)
    bot = await make_bot(standin)
    standin.inject_update(make_text_update(5, "trước webhook"))
    await bot.set_webhook(receiver.url)
    await receiver.wait_for(1)
    await bot.delete_webhook()
    standin.inject_update(make_text_update(5, "bị bỏ"))
    await bot.set_webhook(receiver.url, drop_pending_updates=True)
    await asyncio.sleep(0.1)
    assert [u["message"]["text"] for u, _ in receiver.received] == ["trước webhook"]


async def test_reply_in_webhook_answer_is_executed(
    make_standin: StandinFactory, make_bot: BotFactory, receiver: Receiver
) -> None:
    standin: BotApiStandin = await make_standin(delivery=FAST)
    bot = await make_bot(standin)
    receiver.reply = {"method": "sendMessage", "chat_id": 6, "text": "Cảm ơn bạn"}
    await bot.set_webhook(receiver.url)
    standin.inject_update(make_text_update(6, "góp ý"))
    await receiver.wait_for(1)
    await eventually(lambda: bool(standin.sent_to(6)))
    assert standin.sent_to(6)[0].text == "Cảm ơn bạn"


async def test_invalid_secret_token_is_refused(
    standin: BotApiStandin, make_bot: BotFactory
) -> None:
    bot = await make_bot(standin)
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="có dấu")
