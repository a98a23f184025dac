"""/metrics scraped over real HTTP while the web chat and Telegram carry traffic."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from bot.metrics import send_code
from bot.outbox.sender import SendResult, SendStatus
from bot.settings import Settings
from bot.telegram.standin import (
    BotApiStandin,
    StandinFaults,
    StandinLimits,
    make_text_update,
    make_user,
)
from consultations import outbox
from storage.clock import FixedClock
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.ops.conftest import free_port
from tests.telegram.tg_helpers import eventually

TOKEN = "123456:TEST-consultbot"


def sample(exposition: str, name: str, **labels: str) -> float | None:
    """One sample's value from a scrape, or None when the series is absent."""
    for family in text_string_to_metric_families(exposition):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return None


async def scrape(url: str, token: str | None = None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http, http.get(f"{url}/metrics",
                                                         headers=headers) as response:
        assert response.status == 200, response.status
        assert response.content_type == "text/plain"
        return await response.text()


def _settings(db_url: str, **extra: Any) -> Settings:
    return Settings(database_url=db_url, http_port=0, admin_secret_key="k" * 40,
                    chat_burst=30, _env_file=None, **extra)  # type: ignore[call-arg]


@pytest.fixture
async def web(db_url: str, engine: AsyncEngine, open_round: int,
              clock: FixedClock) -> AsyncIterator[str]:
    runtime = Runtime(_settings(db_url), clock)
    await runtime.start()
    yield runtime.url
    await runtime.stop()


async def test_a_web_chat_message_moves_the_inbound_count_and_the_flow_histogram(
    web: str,
) -> None:
    before = await scrape(web)
    assert sample(before, "consultbot_inbound_events_total", channel="webchat") is None
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as browser:
        for text in ("xin chào", "góp ý"):
            body = {"event_id": uuid.uuid4().hex, "text": text}
            async with browser.post(f"{web}/api/chat", json=body) as answer:
                assert answer.status == 200
    after = await scrape(web)
    assert sample(after, "consultbot_inbound_events_total", channel="webchat") == 2
    assert sample(after, "consultbot_flow_seconds_count", channel="webchat") == 2
    assert (sample(after, "consultbot_flow_seconds_sum", channel="webchat") or 0) > 0
    assert sample(after, "consultbot_flow_seconds_bucket", channel="webchat", le="+Inf") == 2


async def test_outbox_depth_and_oldest_age_are_read_at_scrape_time(
    web: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        for n in range(3):
            await outbox.enqueue(uow, channel="zalo", recipient="u1", payload={"text": str(n)},
                                 dedupe_key=f"metrics-test:{n}")
        await uow.commit()
    clock.advance(timedelta(seconds=90))
    text = await scrape(web)
    assert sample(text, "consultbot_outbox_depth", channel="zalo") == 3
    assert sample(text, "consultbot_outbox_oldest_seconds", channel="zalo") == 90
    assert sample(text, "consultbot_outbox_depth", channel="webchat") == 0, "known, and empty"
    async with uow_factory() as uow:
        rows = (await uow.session.scalars(select(OutboxMessage))).all()
        rows[0].status = "dead"
        rows[1].status = "waiting"
        await uow.commit()
    clock.advance(timedelta(seconds=30))
    text = await scrape(web)
    assert sample(text, "consultbot_outbox_depth", channel="zalo") == 1
    assert sample(text, "consultbot_outbox_oldest_seconds", channel="zalo") == 120
    assert sample(text, "consultbot_outbox_dead", channel="zalo") == 1
    assert sample(text, "consultbot_outbox_waiting", channel="zalo") == 1


async def test_with_metrics_token_set_a_scraper_must_present_it(
    db_url: str, engine: AsyncEngine
) -> None:
    runtime = Runtime(_settings(db_url, metrics_token="scrape-me-0123456789"))
    await runtime.start()
    try:
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
                async with http.get(f"{runtime.url}/metrics", headers=headers) as refused:
                    assert refused.status == 401, headers
        text = await scrape(runtime.url, token="scrape-me-0123456789")
        assert sample(text, "consultbot_scheduler_leader") == 0
    finally:
        await runtime.stop()


@pytest.fixture
async def telegram(db_url: str, engine: AsyncEngine,
                   open_round: int) -> AsyncIterator[tuple[Runtime, BotApiStandin]]:
    async with BotApiStandin(TOKEN, limits=StandinLimits()) as standin:
        port = free_port()
        settings = Settings(database_url=db_url, http_port=port, admin_secret_key="k" * 40,
                            telegram_bot_token=TOKEN, telegram_api_base_url=standin.root_url,
                            telegram_webhook_secret="s3cret-webhook-token",
                            public_url=f"http://127.0.0.1:{port}",
                            _env_file=None)  # type: ignore[call-arg]
        runtime = Runtime(settings)
        await runtime.start()
        yield runtime, standin
        await runtime.stop()


async def test_telegram_sends_and_a_blocked_chat_are_counted_by_channel_and_code(
    telegram: tuple[Runtime, BotApiStandin], uow_factory: UnitOfWorkFactory
) -> None:
    runtime, standin = telegram
    standin.faults = StandinFaults(blocked_chats={700_002})
    standin.inject_update(make_text_update(700_001, "/start", user=make_user(700_001)))
    await eventually(lambda: bool(standin.sent_to(700_001)), 10.0)
    async with uow_factory() as uow:
        await outbox.enqueue(uow, channel="telegram", recipient="700002",
                             payload={"text": "Thông báo", "buttons": []},
                             dedupe_key="metrics-test:blocked")
        await uow.commit()
    assert runtime.ctx is not None
    runtime.ctx.wake_dispatcher()

    for _ in range(300):  # bounded, 30 s: the dispatcher paces a chat at about 1 message/s
        if await _unfinished(uow_factory) == 0:
            break
        await asyncio.sleep(0.1)
    text = await scrape(runtime.url)
    assert sample(text, "consultbot_send_errors_total", channel="telegram", code="403") == 1
    assert sample(text, "consultbot_sent_total", channel="telegram") == len(
        standin.sent_to(700_001)
    )
    assert sample(text, "consultbot_inbound_events_total", channel="telegram") == 1
    assert sample(text, "consultbot_flow_seconds_count", channel="telegram") == 1
    assert sample(text, "consultbot_outbox_depth", channel="telegram") == 0


async def _unfinished(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        found = await uow.session.scalar(
            select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(["pending", "sending"])))
    return int(found or 0)


@pytest.mark.parametrize(
    ("result", "code"),
    [
        (SendResult(SendStatus.RATE_LIMITED, retry_after=3, error="429"), "429"),
        (SendResult(SendStatus.FAILED, error="400 Bad Request: chat not found"), "400"),
        (SendResult(SendStatus.DEFERRED, error="-230 outside the 7-day window"), "-230"),
        (SendResult(SendStatus.RATE_LIMITED, scope="channel", error="HTTP 429"), "429"),
        (SendResult(SendStatus.RETRY, error="timeout", ambiguous=True), "retry"),
        (SendResult(SendStatus.RETRY, error="network Connection reset by 10.0.0.5"), "retry"),
    ],
)
def test_send_error_codes_are_the_platform_code_or_the_outcome_never_free_text(
    result: SendResult, code: str
) -> None:
    assert send_code(result) == code


async def test_the_instance_running_the_scheduler_says_so_and_times_its_jobs(
    db_url: str, engine: AsyncEngine
) -> None:
    runtime = Runtime(_settings(db_url, scheduler_enabled=True, scheduler_lock_retry_seconds=0.2))
    await runtime.start()
    try:
        text = ""
        for _ in range(200):  # the start-up sweeps fire at once; on PostgreSQL after the lock
            text = await scrape(runtime.url)
            if sample(text, "consultbot_job_seconds_count", job="rounds"):
                break
            await asyncio.sleep(0.1)
        assert sample(text, "consultbot_scheduler_leader") == 1
        assert sample(text, "consultbot_job_seconds_count", job="rounds") == 1
    finally:
        await runtime.stop()
    assert runtime.ctx is not None
    assert sample(runtime.ctx.metrics.exposition("")[0].decode(),
                  "consultbot_scheduler_leader") == 0, "a stopped scheduler leads no more"
