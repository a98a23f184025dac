"""Raw Update JSON in, sendMessage at the Bot API stand-in out, rows in the database."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.telegram.standin import (
    make_callback_update,
    make_group_message,
    make_photo_update,
    make_text_update,
    make_user,
    make_voice_update,
)
from storage.engine import session_factory
from storage.models import Comment, OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.telegram_bridge.conftest import SECRET, Stack
from tests.telegram_bridge.helpers import CHAT, eventually, press, say, texts


async def _comments(engine: AsyncEngine) -> list[Comment]:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return list(await uow.session.scalars(select(Comment)))


async def test_citizen_comments_on_article_two_over_telegram(
    stack: Stack, engine: AsyncEngine
) -> None:
    await say(stack, "/start", "Xin chào")
    await press(stack, "Tôi đồng ý", "Bạn muốn làm gì")
    await say(stack, "xem du thao", "Các dự thảo")
    await press(stack, "Dự thảo Quyết định", "Sở Thử nghiệm")
    await press(stack, "Đọc từng điều", "Điều 1. Phạm vi")
    await press(stack, "Điều sau", "Điều 2. Đối tượng áp dụng")
    edits = [m for m in stack.standin.sent_to(CHAT) if m.method == "editMessageText"]
    assert edits, "turning a page edits the message whose button was pressed"
    await press(stack, "Góp ý điều này", "Mời bạn nhập góp ý")
    await say(stack, "Đề nghị bổ sung <hợp tác xã> & tổ hợp tác vào Điều 2.", "Quan điểm")
    await press(stack, "Đề nghị sửa đổi", "Xin kiểm tra lại")
    await press(stack, "✅ Gửi", "Đã ghi nhận góp ý số 1")

    comments = await _comments(engine)
    assert [(c.channel, c.stance, c.body) for c in comments] == [
        ("telegram", "suggest", "Đề nghị bổ sung <hợp tác xã> & tổ hợp tác vào Điều 2.")
    ]
    confirm = next(m for m in stack.standin.sent_to(CHAT) if "Xin kiểm tra lại" in (m.text or ""))
    assert confirm.params.get("parse_mode") == "HTML"
    assert "&lt;hợp tác xã&gt; &amp;" in confirm.params["text"], "citizen text is escaped"
    assert stack.standin.violations == 0, "the dispatcher stayed within Telegram's limits"
    answered = [c for c in stack.standin.calls if c.method == "answerCallbackQuery"]
    assert len(answered) >= 7, "every button press is answered"


async def test_deep_link_opens_the_round(stack: Stack, open_round: int) -> None:
    await say(stack, f"/start r{open_round}", "Sở Thử nghiệm")


async def test_user_without_username_or_language_is_served_in_vietnamese(stack: Stack) -> None:
    chat = 700_555
    bare = make_user(chat, "An", language_code=None)
    assert "username" not in bare and "language_code" not in bare
    stack.standin.inject_update(make_text_update(chat, "xin chào", user=bare))
    await eventually(lambda: any("Xin chào!" in t for t in texts(stack.standin, chat)))


async def test_voice_gets_a_polite_explanation_and_photos_are_kept(
    stack: Stack, engine: AsyncEngine
) -> None:
    stack.standin.inject_update(make_voice_update(CHAT, user=make_user(CHAT)))
    await eventually(lambda: any("tin nhắn thoại" in t for t in texts(stack.standin)))
    await say(stack, "hi", "Xin chào")
    await press(stack, "Tôi đồng ý", "Bạn muốn làm gì")
    stack.standin.inject_update(
        make_photo_update(
            CHAT,
            caption="Ảnh chụp bảng niêm yết sai quy định ở xã, đề nghị sửa Điều 3.",
            user=make_user(CHAT),
        )
    )
    await eventually(lambda: any("Quan điểm" in t for t in texts(stack.standin)))
    await press(stack, "Ý kiến khác", "Xin kiểm tra lại")
    await press(stack, "✅ Gửi", "Đã ghi nhận")
    [comment] = await _comments(engine)
    assert comment.attachments and comment.attachments[0]["kind"] == "photo"
    assert comment.attachments[0]["ref"].startswith("standin-photo")


async def test_group_chatter_is_ignored(stack: Stack) -> None:
    stack.standin.inject_update(make_group_message(-100200, "Mọi người góp ý đi"))
    await say(stack, "/start", "Xin chào")
    assert stack.standin.sent_to(-100200) == []


async def _post(stack: Stack, body: Any, headers: dict[str, str] | None = None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, **(headers or {})}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{stack.url}/telegram/webhook", data=body, headers=headers) as response,
    ):
        return response.status


async def test_webhook_rejects_bad_secret_malformed_and_oversized_bodies(
    webhook_stack: Stack,
) -> None:
    update = json.dumps(make_text_update(CHAT, "/start", update_id=999))
    assert await _post(webhook_stack, update, {"X-Telegram-Bot-Api-Secret-Token": "nope"}) == 403
    assert await _post(webhook_stack, update, {"X-Telegram-Bot-Api-Secret-Token": ""}) == 403
    assert await _post(webhook_stack, "{not json") == 400
    assert await _post(webhook_stack, json.dumps({"hello": 1})) == 400
    assert await _post(webhook_stack, json.dumps({"update_id": 5, "message": "x"})) == 400
    assert await _post(webhook_stack, "x" * (1024 * 1024 + 10)) == 413
    channel_post = {
        "update_id": 6,
        "channel_post": {"message_id": 1, "date": 0, "chat": {"id": -1001, "type": "channel"}},
    }
    assert await _post(webhook_stack, json.dumps(channel_post)) == 200


async def test_redelivered_update_changes_nothing_twice(
    webhook_stack: Stack, engine: AsyncEngine
) -> None:
    update = json.dumps(make_text_update(CHAT, "/start", update_id=424242))
    assert await _post(webhook_stack, update) == 200
    assert await _post(webhook_stack, update) == 200
    await eventually(lambda: len(webhook_stack.standin.sent_to(CHAT)) >= 1)
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        rows = await uow.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert rows == 1, "one reply for one update, however often it is delivered"


async def test_callback_data_we_never_issued_gets_a_polite_answer(
    webhook_stack: Stack,
) -> None:
    await say(webhook_stack, "/start", "Xin chào")
    for forged in ("r:99999", "drop table", "st:support"):
        count = len(webhook_stack.standin.sent)
        webhook_stack.standin.inject_update(
            make_callback_update(CHAT, forged, 1, user=make_user(CHAT))
        )
        await eventually(lambda count=count: len(webhook_stack.standin.sent) > count)
    answers = " ".join(texts(webhook_stack.standin))
    assert "Không tìm thấy dự thảo" in answers and "không còn hiệu lực" in answers


async def test_a_button_press_is_answered_in_the_webhook_response(webhook_stack: Stack) -> None:
    """No answerCallbackQuery request of our own: the 200 carries it, and Telegram runs it."""
    await say(webhook_stack, "/start", "Xin chào")
    update = make_callback_update(CHAT, "menu", 1, user=make_user(CHAT), update_id=515151)
    query_id = update["callback_query"]["id"]
    async with aiohttp.ClientSession() as session, session.post(
        f"{webhook_stack.url}/telegram/webhook",
        data=json.dumps(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    ) as response:
        assert response.status == 200
        assert await response.json() == {
            "method": "answerCallbackQuery",
            "callback_query_id": query_id,
        }
    answered = [c for c in webhook_stack.standin.calls if c.method == "answerCallbackQuery"]
    assert all(c.params.get("callback_query_id") != query_id for c in answered)
