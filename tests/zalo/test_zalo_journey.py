"""A citizen on Zalo: signed webhook events in, consultation messages at the stand-in out,
rows in the database read through a fresh session."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import session_factory
from storage.models import Comment, InboundEvent, Participant
from storage.uow import UnitOfWorkFactory
from tests.zalo.conftest import ZaloStack
from tests.zalo.helpers import USER, deliver_and_wait, say, tap

Row = TypeVar("Row")


async def _rows(engine: AsyncEngine, model: type[Row]) -> list[Row]:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return list(await uow.session.scalars(select(model)))


async def test_citizen_follows_consents_reads_article_two_and_comments_with_a_stance(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    await deliver_and_wait(zalo, zalo.events.follow(USER), "Xin chào")
    await tap(zalo, "Tôi đồng ý", "Bạn muốn làm gì")
    await say(zalo, "xem du thao", "Các dự thảo")
    await tap(zalo, "Dự thảo Quyết định", "Sở Thử nghiệm")
    await tap(zalo, "Đọc từng điều", "Điều 1. Phạm vi")
    await tap(zalo, "Điều sau", "Điều 2. Đối tượng áp dụng")
    await tap(zalo, "Góp ý điều này", "Mời bạn nhập góp ý")
    await say(zalo, "Đề nghị bổ sung hợp tác xã & tổ hợp tác vào Điều 2.", "Quan điểm")
    await tap(zalo, "Đề nghị sửa đổi", "Xin kiểm tra lại")
    await tap(zalo, "Gửi", "Đã ghi nhận góp ý số 1")

    comments = await _rows(engine, Comment)
    assert [(c.channel, c.stance, c.body) for c in comments] == [
        ("zalo", "suggest", "Đề nghị bổ sung hợp tác xã & tổ hợp tác vào Điều 2.")
    ], "the comment on Điều 2 was not stored as typed, with its stance"
    people = await _rows(engine, Participant)
    assert [(p.channel, p.channel_user_id) for p in people] == [("zalo", USER)]
    assert all(len(m.text) <= 2000 for m in zalo.sent), "a message over Zalo's 2,000 characters"
    assert zalo.stale_token_uses == 0 and zalo.state.refused == []
    leftovers = [e for e in await _rows(engine, InboundEvent) if e.payload is not None]
    assert leftovers == [], "handled events keep what the citizen wrote in inbound_events"


async def test_the_menu_has_too_many_buttons_for_a_template_so_its_choices_are_numbered(
    stack: ZaloStack,
) -> None:
    zalo = stack.zalo
    await say(zalo, "xin chào", "Xin chào")
    consent = zalo.sent_to(USER)[-1]
    assert [b["type"] for b in consent.buttons] == ["oa.query.hide"] * 3, (
        "the consent prompt's three choices should be a button template"
    )
    assert consent.buttons[0]["payload"] == "consent:yes", "a button's payload is our action"
    await tap(zalo, "Tôi đồng ý", "Bạn muốn làm gì")
    menu = zalo.sent_to(USER)[-1]
    assert menu.buttons == [], "eight choices do not fit Zalo's five-button template"
    assert "\n1. Xem dự thảo" in menu.text and "\n8. Trợ giúp" in menu.text, menu.text
    await say(zalo, "8", "Hướng dẫn")
