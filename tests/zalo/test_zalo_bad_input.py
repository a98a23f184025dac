"""What no Zalo server would send, or sends twice: a 4xx or a polite reply, nothing lost,
and the service keeps working."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.zalo.standin import ZaloStandin, encode
from storage.engine import session_factory
from storage.models import InboundEvent
from storage.uow import UnitOfWorkFactory
from tests.zalo.conftest import ZaloStack, start_stack
from tests.zalo.helpers import USER, eventually, say, texts


async def _recorded(engine: AsyncEngine) -> int:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(InboundEvent)) or 0)


async def test_forged_missing_and_wrongly_keyed_signatures_are_refused_with_401(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    event = zalo.events.text(USER, "xin chào")
    forged = {"X-ZEvent-Signature": "mac=" + "0" * 64}
    assert await zalo.deliver(event, headers=forged) == 401, "a forged mac was accepted"
    assert await zalo.deliver(event, signed=False) == 401, "an unsigned call was accepted"
    tampered = encode({**event, "message": {"text": "khác", "msg_id": "x1"}})
    assert await zalo.deliver(event, raw=tampered) == 401, "a body changed after signing passed"
    assert await _recorded(engine) == 0 and zalo.sent == [], "a refused call left traces"
    await say(zalo, "xin chào", "Xin chào")  # and the real thing still works


async def test_a_redelivered_event_is_handled_once_and_an_old_one_is_refused(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    event = zalo.events.text(USER, "xin chào")
    assert await zalo.deliver(event) == 200
    await eventually(lambda: len(zalo.sent_to(USER)) == 1)
    assert await zalo.deliver(event) == 200, "Zalo's retry must get a 200, or it retries on"
    old = zalo.events.text(USER, "xin chào", timestamp_ms=int(time.time() * 1000) - 3_600_000)
    assert await zalo.deliver(old) == 401, "an event an hour old passed the 10-minute window"
    await say(zalo, "menu", "Xin chào")
    assert len([t for t in texts(zalo) if "Xin chào" in t]) == 2, (
        f"the redelivered event was answered twice: {texts(zalo)}"
    )


async def test_bodies_that_are_not_events_get_a_4xx_and_the_service_carries_on(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    no_json = b"{not json"
    assert await zalo.deliver({"timestamp": "1"}, raw=no_json) == 400
    assert await zalo.deliver({"timestamp": "1"}, raw=b"[1, 2]") == 400
    huge = encode(zalo.events.text(USER, "x" * 70_000))
    assert await zalo.deliver(json.loads(huge), raw=huge) == 413, "a 70 KB body was read"
    nameless = zalo.events.text(USER, "hi")
    del nameless["event_name"]
    assert await zalo.deliver(nameless) == 400
    senderless = zalo.events.text(USER, "hi")
    del senderless["sender"]
    assert await zalo.deliver(senderless) == 400
    assert await zalo.deliver(zalo.events.text("9" * 500, "hi")) == 400, "a 500-digit user id"
    assert await zalo.deliver(zalo.events.oa_echo(USER, "our own message")) == 200
    assert await zalo.deliver(zalo.events.seen(USER, ["abc"])) == 200
    shop = {**zalo.events.follow(USER), "event_name": "shop_has_order"}
    assert await zalo.deliver(shop) == 200, "an event we do not subscribe to must not be retried"
    assert await _recorded(engine) == 0 and zalo.sent == []
    unknown = zalo.events.message("user_send_hologram", USER)
    assert await zalo.deliver(unknown) == 200
    await eventually(lambda: any("loại tin nhắn này" in t for t in texts(zalo)))
    await say(zalo, "xin chào", "Xin chào")


@pytest.mark.parametrize(
    ("kind", "polite"),
    [("sticker", "nhãn dán"), ("gif", "ảnh động"), ("audio", "tin nhắn thoại"),
     ("video", "video"), ("location", "vị trí"), ("business_card", "danh thiếp")],
)
async def test_media_we_do_not_take_get_a_polite_answer(
    stack: ZaloStack, kind: str, polite: str
) -> None:
    zalo = stack.zalo
    assert await zalo.deliver(zalo.events.media(kind, USER)) == 200
    await eventually(lambda: any(f"chưa nhận {polite}" in t for t in texts(zalo)))


@pytest.fixture
async def report_stack(
    db_url: str, engine: AsyncEngine, open_round: int, zalo: ZaloStandin
) -> AsyncIterator[ZaloStack]:
    running = await start_stack(db_url, zalo, zalo_signature_mode="report")
    yield running
    await running.runtime.stop()


async def test_report_mode_logs_a_bad_signature_but_handles_the_event(
    report_stack: ZaloStack, caplog: pytest.LogCaptureFixture
) -> None:
    zalo = report_stack.zalo
    with caplog.at_level(logging.WARNING, logger="bot.zalo.webhook"):
        assert await zalo.deliver(zalo.events.text(USER, "xin chào"), signed=False) == 200
    await eventually(lambda: any("Xin chào" in t for t in texts(zalo)))
    assert any("signature missing" in r.getMessage() for r in caplog.records)


@pytest.fixture
async def variant_stack(
    db_url: str, engine: AsyncEngine, open_round: int
) -> AsyncIterator[ZaloStack]:
    async with ZaloStandin(signature_variant="app-secret+header-timestamp") as zalo:
        running = await start_stack(
            db_url, zalo, zalo_signature_variant="header-timestamp + app-secret"
        )
        yield running
        await running.runtime.stop()


async def test_a_configured_signature_variant_is_what_is_checked(
    variant_stack: ZaloStack,
) -> None:
    zalo = variant_stack.zalo
    await say(zalo, "xin chào", "Xin chào")
    documented = zalo.signer.__class__(zalo.app_id, zalo.oa_id, zalo.oa_secret_key,
                                       zalo.app_secret)
    event = zalo.events.text(USER, "menu")
    raw = encode(event)
    headers = documented.headers(raw, event["timestamp"], event["timestamp"])
    assert await zalo.deliver(event, raw=raw, headers=headers) == 401, (
        "the documented variant passed although another one is configured"
    )
