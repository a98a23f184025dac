"""Zalo Bot updates in (webhook or getUpdates), messages at the stand-in out, rows stored."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.zalo_bot.standin import (
    ZaloBotStandin,
    make_image_update,
    make_sticker_update,
    make_text_update,
    make_unsupported_update,
    wrap,
)
from storage.engine import session_factory
from storage.models import AppSecret, Comment, OutboxMessage, Section
from storage.uow import UnitOfWorkFactory
from tests.zalo_bot.conftest import SECRET, Stack, running
from tests.zalo_bot.helpers import CHAT, eventually, option, pick, say, texts


async def _comments(engine: AsyncEngine) -> list[tuple[Comment, str | None]]:
    """Comments with the label of the article they are on, read through a fresh session."""
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        rows = await uow.session.execute(
            select(Comment, Section.label).outerjoin(Section, Comment.section_id == Section.id)
        )
        return [(comment, label) for comment, label in rows]


async def test_citizen_comments_on_article_two_over_the_zalo_bot(
    stack: Stack, engine: AsyncEngine
) -> None:
    await say(stack, "xin chào", "Xin chào")
    await pick(stack, "Tôi đồng ý", "Bạn muốn làm gì")
    await say(stack, "xem du thao", "Các dự thảo")
    await pick(stack, "Dự thảo Quyết định", "Sở Thử nghiệm")
    await pick(stack, "Đọc từng điều", "Điều 1. Phạm vi")
    await pick(stack, "Điều sau", "Điều 2. Đối tượng áp dụng")
    await pick(stack, "Góp ý điều này", "Mời bạn nhập góp ý")
    await say(stack, "Đề nghị bổ sung <hợp tác xã> & tổ hợp tác vào Điều 2.", "Quan điểm")
    await pick(stack, "Đề nghị sửa đổi", "Xin kiểm tra lại")
    await pick(stack, "Gửi", "Đã ghi nhận góp ý số 1")

    [(comment, label)] = await _comments(engine)
    assert (comment.channel, comment.stance, label) == ("zalo_bot", "suggest", "Điều 2"), (
        f"the comment was stored as {comment.channel}/{comment.stance} on {label}"
    )
    assert comment.body == "Đề nghị bổ sung <hợp tác xã> & tổ hợp tác vào Điều 2."
    confirm = next(t for t in texts(stack.standin) if "Xin kiểm tra lại" in t)
    assert "<hợp tác xã> & tổ" in confirm, "plain text goes out unescaped: Zalo has no markup"
    assert all(len(m.text) <= 2000 for m in stack.standin.sent), "every message within 2,000"
    assert stack.standin.violations == 0, "the dispatcher stayed within the assumed limits"


async def test_menu_lists_its_buttons_as_numbered_options(stack: Stack) -> None:
    await say(stack, "xin chào", "Xin chào")
    await pick(stack, "Tôi đồng ý", "Bạn muốn làm gì")
    menu = texts(stack.standin)[-1]
    assert "\n1. " in menu and "\n8. " in menu, f"the menu's eight buttons are numbered: {menu!r}"
    assert option(stack.standin, "dự thảo") == "1"


async def test_a_number_no_option_has_is_read_as_text(stack: Stack) -> None:
    await say(stack, "xin chào", "Xin chào")
    await pick(stack, "Tôi đồng ý", "Bạn muốn làm gì")
    await say(stack, "42", "chưa hiểu")


async def test_photo_is_kept_with_the_comment_and_a_sticker_is_declined_politely(
    webhook_stack: Stack, engine: AsyncEngine
) -> None:
    stack = webhook_stack
    stack.standin.inject_update(make_sticker_update(CHAT))
    await eventually(lambda: any("nhãn dán" in t for t in texts(stack.standin)))
    stack.standin.inject_update(make_unsupported_update(CHAT))
    await eventually(lambda: any("loại tin nhắn này" in t for t in texts(stack.standin)))
    await say(stack, "xin chào", "Xin chào")
    await pick(stack, "Tôi đồng ý", "Bạn muốn làm gì")
    photo = "https://photo-stal.zadn.vn/standin/bang-niem-yet.jpg"
    caption = "Ảnh chụp bảng niêm yết sai quy định ở xã, đề nghị sửa Điều 3."
    before = len(stack.standin.sent_to(CHAT))
    stack.standin.inject_update(make_image_update(CHAT, photo, caption))
    await eventually(lambda: any("Quan điểm" in t for t in texts(stack.standin)[before:]))
    await pick(stack, "Ý kiến khác", "Xin kiểm tra lại")
    await pick(stack, "Gửi", "Đã ghi nhận")
    [(comment, _label)] = await _comments(engine)
    assert comment.attachments == [{"kind": "photo", "ref": photo, "name": None}], (
        f"the photo should be kept with the comment, got {comment.attachments}"
    )


async def _post(stack: Stack, body: Any, headers: dict[str, str] | None = None) -> int:
    headers = {"X-Bot-Api-Secret-Token": SECRET, **(headers or {})}
    data = body if isinstance(body, str) else json.dumps(body)
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{stack.url}/zalo-bot/webhook", data=data, headers=headers) as response,
    ):
        return response.status


async def _outbox_rows(engine: AsyncEngine) -> int:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_webhook_refuses_a_wrong_or_missing_secret(
    webhook_stack: Stack, engine: AsyncEngine
) -> None:
    update = wrap(make_text_update(CHAT, "xin chào"))
    assert await _post(webhook_stack, update, {"X-Bot-Api-Secret-Token": "nope"}) == 403
    assert await _post(webhook_stack, update, {"X-Bot-Api-Secret-Token": ""}) == 403
    assert await _post(webhook_stack, update, {"X-Bot-Api-Secret-Token": SECRET + "x"}) == 403
    assert await _outbox_rows(engine) == 0, "a refused call changes nothing"


async def test_webhook_answers_malformed_bodies_with_4xx(webhook_stack: Stack) -> None:
    assert await _post(webhook_stack, "{not json") == 400
    assert await _post(webhook_stack, [1, 2]) == 400
    assert await _post(webhook_stack, {"ok": True, "result": {"message": {}}}) == 400
    no_ids = {"event_name": "message.text.received", "message": {"text": "hi"}}
    assert await _post(webhook_stack, wrap(no_ids)) == 400
    assert await _post(webhook_stack, "x" * (1024 * 1024 + 10)) == 413
    assert await _post(webhook_stack, wrap({"event_name": "bot.added"})) == 200, (
        "an event without a message is acknowledged and ignored"
    )


async def test_redelivered_event_changes_nothing_twice(
    webhook_stack: Stack, engine: AsyncEngine
) -> None:
    update = wrap(make_text_update(CHAT, "xin chào"))
    assert await _post(webhook_stack, update) == 200
    assert await _post(webhook_stack, update) == 200
    bare = update["result"]  # the same event without the envelope is the same event
    assert await _post(webhook_stack, bare) == 200
    await eventually(lambda: len(webhook_stack.standin.sent_to(CHAT)) >= 1)
    assert await _outbox_rows(engine) == 1, "one reply for one event, however often delivered"


async def test_without_a_configured_secret_one_is_generated_stored_and_checked(
    db_url: str, engine: AsyncEngine, open_round: int, standin: ZaloBotStandin
) -> None:
    runtime = await running(db_url, standin, webhook=True, secret=None)
    try:
        [set_call] = [c for c in standin.calls if c.method == "setWebhook"]
        async with UnitOfWorkFactory(session_factory(engine))() as uow:
            stored = await uow.session.scalar(
                select(AppSecret.value).where(AppSecret.name == "zalo_bot_webhook_secret")
            )
        assert stored and set_call.params["secret_token"] == stored[:256], (
            "the webhook secret given to Zalo is the one stored for every instance"
        )
        assert set_call.params["url"] == f"{runtime.url}/zalo-bot/webhook"
        stack = Stack(standin, runtime, runtime.url)
        await say(stack, "xin chào", "Xin chào")
    finally:
        await runtime.stop()


async def test_polling_removes_a_webhook_before_it_polls(polling_stack: Stack) -> None:
    await say(polling_stack, "xin chào", "Xin chào")
    methods = [c.method for c in polling_stack.standin.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates"), methods
