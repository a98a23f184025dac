"""A running consultbot with its Zalo OA bridge against the local Zalo stand-in.

Everything goes over real HTTP on 127.0.0.1 and a real database (SQLite, and PostgreSQL
when TEST_POSTGRES_URL is set); nothing is mocked.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from bot.settings import Settings
from bot.zalo.bridge import ZaloOABridge
from bot.zalo.standin import ZaloStandin
from storage.clock import Clock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def zalo_settings(db_url: str, zalo: ZaloStandin, port: int = 0, **extra: Any) -> Settings:
    """Settings that turn on only the Zalo OA bridge, pointed at the stand-in."""
    values: dict[str, Any] = {
        "database_url": db_url,
        "http_port": port,
        "admin_secret_key": "k" * 40,
        "zalo_oa_id": zalo.oa_id,
        "zalo_app_id": zalo.app_id,
        "zalo_app_secret": zalo.app_secret,
        "zalo_oa_secret_key": zalo.oa_secret_key,
        "zalo_access_token": zalo.initial.access_token,
        "zalo_refresh_token": zalo.initial.refresh_token,
        "zalo_api_base_url": zalo.root_url,
        "zalo_oauth_base_url": zalo.root_url,
        "telegram_bot_token": None,
        "zalo_bot_token": None,
    }
    values.update(extra)
    return Settings(**values, _env_file=None)  # type: ignore[call-arg]


@dataclass
class ZaloStack:
    """The stand-in, the running service, and its Zalo bridge."""

    zalo: ZaloStandin
    runtime: Runtime

    @property
    def bridge(self) -> ZaloOABridge:
        found = [b for b in self.runtime.bridges if isinstance(b, ZaloOABridge)]
        assert found, "the runtime did not turn the Zalo OA bridge on"
        return found[0]


@pytest.fixture
async def zalo() -> AsyncIterator[ZaloStandin]:
    async with ZaloStandin(timeout_hold_s=0.5) as running:
        yield running


async def start_stack(
    db_url: str, zalo: ZaloStandin, clock: Clock | None = None, **extra: Any
) -> ZaloStack:
    runtime = Runtime(zalo_settings(db_url, zalo, free_port(), **extra), clock)
    await runtime.start()
    zalo.webhook_url = f"{runtime.url}/zalo/webhook"
    return ZaloStack(zalo, runtime)


@pytest.fixture
async def stack(
    db_url: str, engine: AsyncEngine, open_round: int, zalo: ZaloStandin
) -> AsyncIterator[ZaloStack]:
    running = await start_stack(db_url, zalo)
    yield running
    await running.runtime.stop()
