"""A running consultbot with its Telegram bridge against the local Bot API stand-in."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from bot.settings import Settings
from bot.telegram.standin import BotApiStandin, StandinLimits

TOKEN = "123456:TEST-consultbot"
SECRET = "s3cret-webhook-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    standin: BotApiStandin
    runtime: Runtime
    url: str


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    async with BotApiStandin(TOKEN, limits=StandinLimits()) as running:
        yield running


def _settings(db_url: str, standin: BotApiStandin, port: int, webhook: bool) -> Settings:
    return Settings(
        database_url=db_url,
        http_port=port,
        admin_secret_key="k" * 40,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.root_url,
        telegram_webhook_secret=SECRET,
        public_url=f"http://127.0.0.1:{port}" if webhook else None,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(params=["webhook", "polling"])
async def stack(
    request: pytest.FixtureRequest,
    db_url: str,
    engine: AsyncEngine,
    open_round: int,
    standin: BotApiStandin,
) -> AsyncIterator[Stack]:
    port = free_port()
    runtime = Runtime(_settings(db_url, standin, port, request.param == "webhook"))
    await runtime.start()
    yield Stack(standin, runtime, runtime.url)
    await runtime.stop()


@pytest.fixture
async def webhook_stack(
    db_url: str, engine: AsyncEngine, open_round: int, standin: BotApiStandin
) -> AsyncIterator[Stack]:
    port = free_port()
    runtime = Runtime(_settings(db_url, standin, port, True))
    await runtime.start()
    yield Stack(standin, runtime, runtime.url)
    await runtime.stop()
