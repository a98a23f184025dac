"""A real PTB ``Bot`` on ``AiohttpRequest`` against the stand-in: the production code path."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict

from bot.telegram.standin import (
    BotApiStandin,
    make_callback_update,
    make_photo_update,
    make_text_update,
)


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.id == 123456 and me.username == "standin_bot"
    assert me.can_join_groups is True


async def test_send_and_edit_html_message(bot: Bot, standin: BotApiStandin) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Gửi góp ý", callback_data="gop-y")]])
    sent = await bot.send_message(
        42, "<b>Dự thảo</b> luật đất đai", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
    assert sent.text == "Dự thảo luật đất đai"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup == keyboard
    edited = await bot.edit_message_text("Đã nhận góp ý", chat_id=42, message_id=sent.message_id)
    assert isinstance(edited, type(sent)) and edited.text == "Đã nhận góp ý"
    assert edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Đã nhận góp ý", chat_id=42, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)
    assert [(m.method, m.text) for m in standin.sent_to(42)] == [
        ("sendMessage", "Dự thảo luật đất đai"),
        ("editMessageText", "Đã nhận góp ý"),
    ]


async def test_answer_callback_query(bot: Bot, standin: BotApiStandin) -> None:
    sent = await bot.send_message(
        7,
        "Chọn lĩnh vực",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Y tế", callback_data="yte")]]),
    )
    update = standin.inject_update(make_callback_update(7, "yte", sent.message_id))
    updates = await bot.get_updates(offset=update["update_id"])
    query = updates[0].callback_query
    assert query is not None and query.data == "yte"
    assert isinstance(query.message, Message) and query.message.text == "Chọn lĩnh vực"
    assert await bot.answer_callback_query(query.id, text="Đã chọn Y tế") is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_commands_per_language(bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Bắt đầu")], language_code="vi")
    await bot.set_my_commands([BotCommand("start", "Start")])
    vietnamese = await bot.get_my_commands(language_code="vi")
    default = await bot.get_my_commands()
    assert [c.description for c in vietnamese] == ["Bắt đầu"]
    assert [c.description for c in default] == ["Start"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Start", "bad")])


async def test_documents_and_photos(bot: Bot, standin: BotApiStandin) -> None:
    content = "Ý kiến đóng góp\n".encode() * 100
    message = await bot.send_document(11, content, filename="gop-y.txt", caption="Tệp đính kèm")
    assert message.document is not None and message.document.file_name == "gop-y.txt"
    assert message.caption == "Tệp đính kèm"
    assert standin.calls[-1].params["document"] == {"filename": "gop-y.txt", "size": len(content)}
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content
    again = await bot.send_document(12, message.document.file_id)
    assert again.document is not None and again.document.file_id == message.document.file_id
    photo = await bot.send_photo(11, b"\x89PNG fake image bytes")
    assert photo.photo and photo.photo[-1].width > 0


async def test_get_updates_offsets(bot: Bot, standin: BotApiStandin) -> None:
    standin.inject_update(make_text_update(21, "/start"))
    standin.inject_update(make_photo_update(21, caption="Ảnh hiện trường"))
    first = await bot.get_updates(timeout=0)
    assert [u.update_id for u in first] == [1, 2]
    assert first[0].message is not None and first[0].message.text == "/start"
    assert first[1].message is not None and len(first[1].message.photo) == 3
    assert await bot.get_updates(offset=first[-1].update_id + 1) == ()

    async def later() -> None:
        await asyncio.sleep(0.05)
        standin.inject_update(make_text_update(21, "Tôi muốn góp ý"))

    task = asyncio.create_task(later())
    polled = await bot.get_updates(offset=3, timeout=2)
    await task
    assert [u.update_id for u in polled] == [3]
    assert isinstance(polled[0], Update)


async def test_overlapping_get_updates_conflict(bot: Bot, standin: BotApiStandin) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=2))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates request"):
        await first
    assert await second == ()


async def test_get_updates_refused_while_webhook_set(bot: Bot) -> None:
    assert await bot.set_webhook("http://127.0.0.1:9/hook") is True
    with pytest.raises(Conflict, match=r"(?i)can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook"
    assert await bot.delete_webhook() is True
    assert await bot.get_updates() == ()


async def test_other_methods(bot: Bot, standin: BotApiStandin) -> None:
    standin.inject_update(make_text_update(31, "chào"))
    chat = await bot.get_chat(31)
    assert chat.type == "private" and chat.first_name
    assert await bot.send_chat_action(31, "typing") is True
    sent = await bot.send_message(31, "tạm")
    assert await bot.delete_message(31, sent.message_id) is True
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(31, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.get_chat(404)
