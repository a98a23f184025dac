"""The sender over real HTTP against the stand-in: its answers in the dispatcher's terms."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.outbox.sender import Delivery, SendStatus
from bot.zalo_bot.api import ApiError, ZaloBotApi
from bot.zalo_bot.sender import ZaloBotSender
from bot.zalo_bot.standin import (
    Fault,
    StandinFaults,
    StandinLimits,
    ZaloBotStandin,
    make_text_update,
)
from handlers.messages import Button, Reply

TOKEN = "1459232241454765289:TEST-sender"
CHAT = "e4ea2cd5189df1c3a88c"


@pytest.fixture
async def standin() -> AsyncIterator[ZaloBotStandin]:
    async with ZaloBotStandin(TOKEN, limits=StandinLimits(enabled=False)) as running:
        yield running


@pytest.fixture
async def api(standin: ZaloBotStandin) -> AsyncIterator[ZaloBotApi]:
    client = ZaloBotApi(TOKEN, standin.root_url, timeout=0.5)
    await client.open()
    yield client
    await client.close()


def _delivery(reply: Reply, outbox_id: int = 1, attempt: int = 1) -> Delivery:
    return Delivery(outbox_id, "zalo_bot", CHAT, reply.to_payload(), attempt)


@pytest.mark.parametrize(
    ("fault", "status", "ambiguous"),
    [
        (Fault.BLOCKED, SendStatus.UNREACHABLE, False),
        (Fault.SERVER_ERROR, SendStatus.RETRY, True),
        (Fault.BAD_GATEWAY, SendStatus.RETRY, False),
        (Fault.TOO_MANY_REQUESTS, SendStatus.RATE_LIMITED, False),
        (Fault.TIMEOUT, SendStatus.RETRY, True),
    ],
)
async def test_platform_failures_map_to_dispatcher_outcomes(
    standin: ZaloBotStandin, api: ZaloBotApi, fault: Fault, status: SendStatus, ambiguous: bool
) -> None:
    standin.faults = StandinFaults(timeout_hold_s=2.0)
    standin.force_faults(fault)
    result = await ZaloBotSender(api).send(_delivery(Reply("Xin chào")))
    assert (result.status, result.ambiguous) == (status, ambiguous), result
    if status is SendStatus.RATE_LIMITED:
        assert result.scope == "channel" and result.retry_after, "a quota holds the whole bot"
    assert result.error and "Xin chào" not in result.error, "errors name no message text"


async def test_a_bad_request_is_a_permanent_failure(api: ZaloBotApi) -> None:
    result = await ZaloBotSender(api).send(
        Delivery(1, "zalo_bot", "", Reply("Xin chào").to_payload(), 1)
    )
    assert result.status is SendStatus.FAILED and result.error and result.error.startswith("400")


async def test_a_long_row_goes_out_in_parts_and_a_retry_sends_only_the_rest(
    standin: ZaloBotStandin, api: ZaloBotApi
) -> None:
    text = "\n".join(f"Đoạn {n}: " + "nội dung dự thảo " * 30 for n in range(8))
    reply = Reply(text, ((Button("Menu", "menu"),),))
    sender = ZaloBotSender(api)
    first = await sender.send(_delivery(reply))
    parts = [m.text for m in standin.sent_to(CHAT)]
    assert first.status is SendStatus.SENT and len(parts) >= 3, len(parts)
    standin.sent.clear()
    standin.force_faults(None, Fault.SERVER_ERROR)  # the second part fails once
    failed = await sender.send(_delivery(reply, outbox_id=2))
    assert failed.status is SendStatus.RETRY
    done = await sender.send(_delivery(reply, outbox_id=2, attempt=2))
    assert done.status is SendStatus.SENT
    resent = [m.text for m in standin.sent_to(CHAT)]
    assert resent == parts, "each part arrives once, in order, despite the failed attempt"


async def test_get_updates_hands_out_one_update_per_call_then_408(
    standin: ZaloBotStandin, api: ZaloBotApi
) -> None:
    first, second = make_text_update(CHAT, "một"), make_text_update(CHAT, "hai")
    standin.inject_update(first)
    standin.inject_update(second)
    assert await api.get_updates(1) == first
    assert await api.get_updates(1) == second
    assert await api.get_updates(0) is None, "no update within the timeout is error_code 408"
    waiting = asyncio.ensure_future(api.get_updates(5))
    await asyncio.sleep(0.05)
    standin.inject_update(first)
    assert await waiting == first, "a long poll answers as soon as an update arrives"


async def test_standin_refuses_what_zalo_refuses(standin: ZaloBotStandin, api: ZaloBotApi) -> None:
    with pytest.raises(ApiError) as short_secret:
        await api.set_webhook("https://example.org/hook", "short")
    assert short_secret.value.code == 400
    await api.set_webhook("https://example.org/hook", "long-enough-secret")
    with pytest.raises(ApiError) as polling:
        await api.get_updates(0)
    assert polling.value.code == 400, "getUpdates does not work while a webhook is set"
    await api.delete_webhook()
    with pytest.raises(ApiError) as too_long:
        await api.send_message(CHAT, "x" * 2001)
    assert too_long.value.code == 400
    wrong = ZaloBotApi("1:WRONG", standin.root_url)
    await wrong.open()
    with pytest.raises(ApiError) as unauthorized:
        await wrong.get_me()
    await wrong.close()
    assert unauthorized.value.code == 401


async def test_standin_limits_answer_429_to_a_client_that_floods(
    standin: ZaloBotStandin, api: ZaloBotApi
) -> None:
    standin.limiter.limits = StandinLimits(per_chat_burst=3)
    codes = []
    for n in range(5):
        try:
            await api.send_message(CHAT, f"tin {n}")
            codes.append(200)
        except ApiError as error:
            codes.append(error.code)
    assert codes == [200, 200, 200, 429, 429] and standin.violations == 2, codes
