"""Flood limits: the limiter's arithmetic (fake clock) and the 429s PTB sees over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram.standin import RateLimiter, StandinLimits
from tests.telegram.tg_helpers import BotFactory, StandinFactory, retry_seconds

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class FakeClock:
    """A monotonic clock the test advances by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _limiter(**limits: Any) -> tuple[RateLimiter, FakeClock]:
    clock = FakeClock()
    return RateLimiter(StandinLimits(**limits), clock=clock), clock


def test_private_chat_bucket_allows_a_burst_then_one_per_second() -> None:
    limiter, clock = _limiter()
    assert all(not isinstance(limiter.acquire(5), int) for _ in range(3))
    assert limiter.acquire(5) == 1
    assert limiter.violations == 1
    clock.now += 1.0
    assert not isinstance(limiter.acquire(5), int)
    assert not isinstance(limiter.acquire(6), int), "other chats are independent"
    assert limiter.retry_after_ignored == 0


def test_group_window_and_retry_after_value() -> None:
    limiter, clock = _limiter(group_per_window=20, group_window_s=60.0)
    for _ in range(20):
        assert not isinstance(limiter.acquire(-100123), int)
        clock.now += 0.5
    retry_after = limiter.acquire(-100123)
    assert retry_after == 50  # the first message leaves the 60 s window in 50 s
    clock.now += 50
    assert not isinstance(limiter.acquire(-100123), int)


def test_global_limit_and_paid_broadcast() -> None:
    limiter, clock = _limiter(private_burst=100)
    for chat in range(1, 31):
        assert not isinstance(limiter.acquire(chat), int)
    assert limiter.acquire(31) == 1
    assert not isinstance(limiter.acquire(32, paid=True), int)
    clock.now += 1.0
    assert not isinstance(limiter.acquire(33), int)


def test_coming_back_early_is_counted_and_refused_again() -> None:
    limiter, clock = _limiter(private_burst=1)
    limiter.acquire(5)
    assert limiter.acquire(5) == 1
    clock.now += 0.5
    assert limiter.acquire(5) == 1
    assert (limiter.violations, limiter.retry_after_ignored) == (2, 1)
    clock.now += 0.5
    assert not isinstance(limiter.acquire(5), int)
    assert (limiter.violations, limiter.retry_after_ignored) == (2, 1)


def test_release_gives_capacity_back() -> None:
    limiter, _ = _limiter(private_burst=1)
    reservation = limiter.acquire(5)
    assert not isinstance(reservation, int)
    limiter.release(reservation)
    assert not isinstance(limiter.acquire(5), int)


async def test_private_burst_raises_retry_after(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    standin = await make_standin(limits=StandinLimits())
    bot = await make_bot(standin)
    for number in range(3):
        await bot.send_message(77, f"tin {number}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(77, "tin 3")
    assert retry_seconds(caught.value.retry_after) == 1
    assert standin.violations == 1 and len(standin.sent) == 3
    await asyncio.sleep(1.05)
    await bot.send_message(77, "tin 3")
    assert standin.retry_after_ignored == 0


async def test_group_limit_over_http(make_standin: StandinFactory, make_bot: BotFactory) -> None:
    standin = await make_standin(limits=StandinLimits(group_per_window=5, group_window_s=3.0))
    bot = await make_bot(standin)
    for number in range(5):
        await bot.send_message(-100555, f"thông báo {number}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(-100555, "một tin nữa")
    assert retry_seconds(caught.value.retry_after) == 3
    with pytest.raises(RetryAfter):
        await bot.send_message(-100555, "ngay lập tức")
    assert (standin.violations, standin.retry_after_ignored) == (2, 1)


async def test_paid_broadcast_raises_the_overall_limit(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    limits = StandinLimits(global_per_window=5, paid_per_window=12, private_burst=50)
    standin = await make_standin(limits=limits)
    bot = await make_bot(standin)
    await asyncio.gather(*(bot.send_message(1000 + n, "tin") for n in range(5)))
    with pytest.raises(RetryAfter):
        await bot.send_message(2000, "tin thường")
    await asyncio.gather(
        *(bot.send_message(3000 + n, "tin", allow_paid_broadcast=True) for n in range(7))
    )
    with pytest.raises(RetryAfter):
        await bot.send_message(4000, "tin trả phí", allow_paid_broadcast=True)
    assert len(standin.sent) == 12


async def test_refused_requests_do_not_use_capacity(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    standin = await make_standin(limits=StandinLimits(private_burst=1))
    bot = await make_bot(standin)
    for _ in range(3):
        with pytest.raises(Exception, match=r"(?i)can't parse entities"):
            await bot.send_message(88, "<b>hỏng", parse_mode="HTML")
    await bot.send_message(88, "đúng")
    assert standin.violations == 0
