"""Constants and small helpers shared by the Telegram transport tests."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot

from bot.telegram.standin import BotApiStandin

TOKEN = "123456:TEST-token_abc"

StandinFactory = Callable[..., Awaitable[BotApiStandin]]
"""``make_standin(**BotApiStandin kwargs)``: a started stand-in (limits off by default)."""
BotFactory = Callable[..., Awaitable[Bot]]
"""``make_bot(standin, **AiohttpRequest kwargs)``: an initialised PTB bot on the stand-in."""


def retry_seconds(value: int | timedelta) -> float:
    """RetryAfter.retry_after as seconds, without PTB's int-deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def eventually(predicate: Callable[[], bool], within: float = 3.0) -> None:
    """Wait until something asynchronous has happened (e.g. a webhook answer was processed)."""
    for _ in range(int(within / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"condition not reached within {within} s")
