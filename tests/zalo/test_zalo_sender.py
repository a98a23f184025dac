"""What each Zalo answer becomes for the dispatcher, and how a reply is cut into messages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.outbox import Delivery, SendResult, SendStatus
from bot.zalo.api import ZaloApi
from bot.zalo.bridge import token_name
from bot.zalo.render import MAX_TEXT
from bot.zalo.sender import ZaloSender
from bot.zalo.standin import ZaloStandin
from bot.zalo.tokens import TokenManager
from consultations import channel_tokens
from consultations.channel_tokens import TokenPair
from handlers.messages import Button, Reply
from storage.uow import UnitOfWorkFactory


@pytest.fixture
async def sender(uow_factory: UnitOfWorkFactory, zalo: ZaloStandin) -> AsyncIterator[ZaloSender]:
    api = ZaloApi(zalo.root_url, zalo.root_url, zalo.app_id, zalo.app_secret, send_timeout=0.2)
    await api.open()
    name = token_name(zalo.oa_id)
    async with uow_factory() as uow:
        await channel_tokens.seed(uow, name, TokenPair(
            zalo.initial.access_token, zalo.initial.refresh_token, uow.now() + timedelta(hours=9)))
        await uow.commit()
    yield ZaloSender(api, TokenManager(uow_factory, api, name=name))
    await api.close()


def _delivery(payload: dict[str, object], outbox_id: int = 1) -> Delivery:
    return Delivery(outbox_id, "zalo", "u1", payload, 1)


HELLO = Reply("Xin chào").to_payload()


@pytest.mark.parametrize(
    ("fault", "status", "scope"),
    [(-32, SendStatus.RATE_LIMITED, "channel"), (-230, SendStatus.DEFERRED, "recipient"),
     (-227, SendStatus.UNREACHABLE, "recipient"), (-201, SendStatus.FAILED, "recipient"),
     (-200, SendStatus.RETRY, "recipient"), (500, SendStatus.RETRY, "recipient"),
     (502, SendStatus.RETRY, "recipient")],
)
async def test_each_zalo_refusal_becomes_the_dispatchers_outcome(
    sender: ZaloSender, zalo: ZaloStandin, fault: int, status: SendStatus, scope: str
) -> None:
    zalo.inject(fault)
    result = await sender.send(_delivery(HELLO))
    assert (result.status, result.scope) == (status, scope), result
    assert zalo.sent == [], "a refused message was recorded as delivered"
    assert (await sender.send(_delivery(HELLO))).status is SendStatus.SENT, "the next one fails"


async def test_a_time_out_is_retried_and_flagged_as_possibly_delivered(
    sender: ZaloSender, zalo: ZaloStandin
) -> None:
    zalo.inject("timeout")
    result = await sender.send(_delivery(HELLO))
    assert result == SendResult(SendStatus.RETRY, error="timeout", ambiguous=True)


async def test_a_user_outside_the_window_defers_until_they_write(
    sender: ZaloSender, zalo: ZaloStandin
) -> None:
    zalo.leave_window("u1")
    assert (await sender.send(_delivery(HELLO))).status is SendStatus.DEFERRED
    await zalo.deliver(zalo.events.text("u1", "chào"), url=f"{zalo.root_url}/nowhere")
    assert (await sender.send(_delivery(HELLO))).status is SendStatus.SENT


async def test_a_long_reply_with_many_choices_goes_as_parts_and_a_retry_resumes(
    sender: ZaloSender, zalo: ZaloStandin
) -> None:
    choices = tuple(Button(f"Dự thảo số {n}", f"r:{n}") for n in range(1, 8))
    payload = Reply("Nội dung dài. " * 140, (choices,)).to_payload()  # 1,960 characters
    zalo.inject(502, user_id="u1", after=1)  # the first part goes, the second meets a 502
    assert (await sender.send(_delivery(payload, 7))).status is SendStatus.RETRY
    assert (await sender.send(_delivery(payload, 7))).status is SendStatus.SENT
    texts = [m.text for m in zalo.sent]
    assert len(texts) == 2, f"the retry sent the delivered part again: {len(texts)} messages"
    assert all(len(t) <= MAX_TEXT for t in texts), [len(t) for t in texts]
    assert texts[1].endswith("7. Dự thảo số 7"), "the numbered choices come last"
