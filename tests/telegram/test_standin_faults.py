"""Injected faults as PTB experiences them: Forbidden, NetworkError, RetryAfter, TimedOut."""

from __future__ import annotations

import aiohttp
import pytest
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.standin import Fault, StandinFaults
from bot.telegram.standin.faults import FaultInjector
from tests.telegram.tg_helpers import TOKEN, BotFactory, StandinFactory, retry_seconds

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_blocked_user_answers_forbidden(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    standin = await make_standin(faults=StandinFaults(blocked_chats={55, -100999}))
    bot = await make_bot(standin)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(55, "xin chào")
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(-100999, "xin chào")
    await bot.send_message(56, "người khác vẫn nhận được")
    assert [m.chat_id for m in standin.sent] == [56]
    assert await bot.get_me(), "faults apply to sending methods only"


async def test_server_errors_become_network_errors(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    standin = await make_standin(faults=StandinFaults(server_error=1.0))
    bot = await make_bot(standin)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(1, "a")
    standin.faults = StandinFaults(bad_gateway=1.0)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(1, "b")
    assert standin.sent == []
    assert [c.status for c in standin.calls if c.method == "sendMessage"] == [500, 502]


async def test_bad_gateway_is_an_html_page(
    make_standin: StandinFactory, http: aiohttp.ClientSession
) -> None:
    standin = await make_standin(faults=StandinFaults(bad_gateway=1.0))
    url = f"{standin.base_url}{TOKEN}/sendMessage"
    async with http.post(url, json={"chat_id": 1, "text": "x"}) as response:
        assert response.status == 502
        assert response.content_type == "text/html"


async def test_injected_flood_wait(make_standin: StandinFactory, make_bot: BotFactory) -> None:
    standin = await make_standin(faults=StandinFaults(too_many_requests=1.0, retry_after=7))
    bot = await make_bot(standin)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(3, "a")
    assert retry_seconds(caught.value.retry_after) == 7
    standin.faults = StandinFaults()
    with pytest.raises(RetryAfter):
        await bot.send_message(3, "retried too early")
    assert standin.retry_after_ignored == 1
    assert standin.stats()["faults"] == {"too_many_requests": 1}


async def test_time_out_leaves_the_message_sent(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    standin = await make_standin(faults=StandinFaults(timeout=1.0, timeout_hold_s=5.0))
    bot = await make_bot(standin, read_timeout=0.2)
    with pytest.raises(TimedOut):
        await bot.send_message(9, "Góp ý của tôi")
    assert [(m.chat_id, m.text, m.answer_held) for m in standin.sent] == [
        (9, "Góp ý của tôi", True)
    ]
    assert standin.calls[-1].fault == "timeout"


def test_faults_are_repeatable_with_a_seed() -> None:
    settings = StandinFaults(seed=42, server_error=0.2, bad_gateway=0.1, timeout=0.1)

    def run() -> list[Fault | None]:
        injector = FaultInjector(settings)
        return [injector.decide("sendMessage", 1) for _ in range(200)]

    first = run()
    assert first == run()
    share = sum(fault is not None for fault in first) / len(first)
    assert 0.25 < share < 0.55
    assert FaultInjector(settings).decide("getMe", 1) is None


def test_faults_json_round_trip() -> None:
    settings = StandinFaults(seed=3, timeout=0.5, blocked_chats={1, 2}, methods=frozenset({"*"}))
    assert StandinFaults.from_json(settings.to_json()) == settings
    with pytest.raises(ValueError, match="unknown fault settings"):
        StandinFaults.from_json({"timeout_rate": 1})
