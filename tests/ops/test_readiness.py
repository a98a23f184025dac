"""/readyz against /healthz over real HTTP: starting, migrations pending, ready, stopping."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime, build_context, create_web_app
from bot.outbox.sender import ChannelSender
from bot.settings import Settings
from storage import migrate
from storage.engine import create_engine
from tests.conftest import BACKENDS
from tests.ops.conftest import fresh_database, sibling_url


def _settings(db_url: str, **extra: Any) -> Settings:
    return Settings(database_url=db_url, http_port=0, admin_secret_key="k" * 40,
                    _env_file=None, **extra)  # type: ignore[call-arg]


async def _get(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, dict(await response.json())


@pytest.fixture(params=BACKENDS)
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables at all, as a new deployment starts."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/empty.db"
    url = sibling_url("probe")
    await fresh_database(url)
    return url


async def test_not_ready_until_migrations_reach_head_while_healthz_is_already_live(
    empty_url: str,
) -> None:
    runtime = Runtime(_settings(empty_url, migrate_on_start=False))
    await runtime.start()
    try:
        status, body = await _get(f"{runtime.url}/readyz")
        assert (status, body["reason"]) == (503, "migrations pending"), body
        assert body["current"] == [] and body["heads"], "the answer says how far off it is"
        assert (await _get(f"{runtime.url}/healthz"))[0] == 200, "alive: do not restart it"
        engine = create_engine(empty_url)
        await migrate.upgrade(engine)
        await engine.dispose()
        assert await _get(f"{runtime.url}/readyz") == (200, {"status": "ready"})
    finally:
        await runtime.stop()


async def test_a_web_app_whose_runtime_has_not_started_its_channels_is_not_ready(
    db_url: str, engine: AsyncEngine
) -> None:
    ctx = await build_context(_settings(db_url))
    server = TestServer(await create_web_app(ctx), host="127.0.0.1")
    await server.start_server()
    try:
        status, body = await _get(str(server.make_url("/readyz")))
        assert (status, body["reason"]) == (503, "starting")
    finally:
        await server.close()
        await ctx.engine.dispose()


class SlowToStopBridge:
    """A channel that takes its time to stop, as one finishing its last sends does."""

    def __init__(self) -> None:
        self.stopping = asyncio.Event()
        self.release = asyncio.Event()

    def setup_routes(self, app: web.Application) -> None:
        return None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self.stopping.set()
        await self.release.wait()

    def senders(self) -> list[ChannelSender]:
        return []


@pytest.fixture
async def draining(db_url: str, engine: AsyncEngine) -> AsyncIterator[tuple[Runtime, str]]:
    runtime = Runtime(_settings(db_url))
    await runtime.start()
    assert await _get(f"{runtime.url}/readyz") == (200, {"status": "ready"})
    bridge = SlowToStopBridge()
    runtime.bridges.append(bridge)
    stopping = asyncio.create_task(runtime.stop())
    await bridge.stopping.wait()
    yield runtime, runtime.url
    bridge.release.set()
    await stopping


async def test_once_stopping_begins_readyz_fails_while_requests_are_still_served(
    draining: tuple[Runtime, str],
) -> None:
    _, url = draining
    status, body = await _get(f"{url}/readyz")
    assert (status, body["reason"]) == (503, "stopping"), "the balancer sends no new traffic"
    assert (await _get(f"{url}/healthz"))[0] == 200, "but the process is alive and answering"

