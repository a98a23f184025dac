"""Fixtures for the Telegram transport tests: a live stand-in on loopback and PTB bots on it.

Everything goes over real HTTP on 127.0.0.1; nothing is mocked. Limits are off unless a test
asks for them, so tests that are not about flood control are not slowed down by it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import Bot

from bot.telegram.request import AiohttpRequest
from bot.telegram.standin import BotApiStandin, StandinLimits
from tests.telegram.tg_helpers import TOKEN, BotFactory, StandinFactory


@pytest.fixture
async def make_standin() -> AsyncIterator[StandinFactory]:
    """Start stand-ins with custom settings; all are stopped after the test."""
    started: list[BotApiStandin] = []

    async def factory(**kwargs: Any) -> BotApiStandin:
        kwargs.setdefault("limits", StandinLimits(enabled=False))
        standin = BotApiStandin(TOKEN, **kwargs)
        await standin.start()
        started.append(standin)
        return standin

    yield factory
    for standin in started:
        await standin.stop()


@pytest.fixture
async def standin(make_standin: StandinFactory) -> BotApiStandin:
    """A stand-in without limits or faults."""
    return await make_standin()


@pytest.fixture
async def make_bot() -> AsyncIterator[BotFactory]:
    """Initialised PTB bots on AiohttpRequest pointing at a stand-in; shut down afterwards."""
    bots: list[Bot] = []

    async def factory(standin: BotApiStandin, **request_kwargs: Any) -> Bot:
        bot = Bot(
            TOKEN,
            base_url=standin.base_url,
            base_file_url=standin.file_base_url,
            request=AiohttpRequest(**request_kwargs),
            get_updates_request=AiohttpRequest(connection_pool_size=2),
        )
        await bot.initialize()
        bots.append(bot)
        return bot

    yield factory
    for bot in bots:
        await bot.shutdown()


@pytest.fixture
async def bot(standin: BotApiStandin, make_bot: BotFactory) -> Bot:
    """A PTB bot on the default stand-in."""
    return await make_bot(standin)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A raw HTTP client for checking wire-level answers."""
    async with aiohttp.ClientSession() as session:
        yield session
