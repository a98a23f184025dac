"""A running consultbot with its Zalo Bot bridge against the local Zalo Bot API stand-in."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from bot.settings import Settings
from bot.zalo_bot.standin import StandinLimits, ZaloBotStandin

TOKEN = "1459232241454765289:TEST-consultbot"
SECRET = "s3cret-zalo-bot-webhook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    standin: ZaloBotStandin
    runtime: Runtime
    url: str


@pytest.fixture
async def standin() -> AsyncIterator[ZaloBotStandin]:
    async with ZaloBotStandin(TOKEN, limits=StandinLimits()) as running:
        yield running


def settings_for(db_url: str, standin: ZaloBotStandin, port: int, *, webhook: bool,
                 secret: str | None = SECRET) -> Settings:
    return Settings(
        database_url=db_url,
        http_port=port,
        admin_secret_key=SecretStr("k" * 40),
        zalo_bot_token=SecretStr(TOKEN),
        zalo_bot_api_base_url=standin.root_url,
        zalo_bot_webhook_secret=SecretStr(secret) if secret else None,
        public_url=f"http://127.0.0.1:{port}" if webhook else None,
        _env_file=None,  # type: ignore[call-arg]
    )


async def running(db_url: str, standin: ZaloBotStandin, *, webhook: bool,
                   secret: str | None = SECRET) -> Runtime:
    port = free_port()
    runtime = Runtime(settings_for(db_url, standin, port, webhook=webhook, secret=secret))
    await runtime.start()
    return runtime


@pytest.fixture(params=["webhook", "polling"])
async def stack(
    request: pytest.FixtureRequest, db_url: str, engine: AsyncEngine, open_round: int,
    standin: ZaloBotStandin,
) -> AsyncIterator[Stack]:
    runtime = await running(db_url, standin, webhook=request.param == "webhook")
    yield Stack(standin, runtime, runtime.url)
    await runtime.stop()


@pytest.fixture
async def webhook_stack(
    db_url: str, engine: AsyncEngine, open_round: int, standin: ZaloBotStandin
) -> AsyncIterator[Stack]:
    runtime = await running(db_url, standin, webhook=True)
    yield Stack(standin, runtime, runtime.url)
    await runtime.stop()


@pytest.fixture
async def polling_stack(
    db_url: str, engine: AsyncEngine, open_round: int, standin: ZaloBotStandin
) -> AsyncIterator[Stack]:
    runtime = await running(db_url, standin, webhook=False)
    yield Stack(standin, runtime, runtime.url)
    await runtime.stop()
