"""Builders of realistic Update dicts, shaped exactly like the ones Telegram sends.

Handlers are only as well tested as the updates fed to them; these helpers produce the fields
real updates carry (``from`` with language_code, chat objects per chat type, integer dates,
``bot_command`` entities with UTF-16 offsets) so tests do not drift from production input.
``update_id`` is left out unless given: the stand-in numbers updates when they are injected.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

__all__ = [
    "command_entities",
    "make_callback_update",
    "make_chat",
    "make_group_message",
    "make_photo_update",
    "make_text_update",
    "make_user",
    "make_voice_update",
]

_message_ids = itertools.count(1)
_ids = itertools.count(1)
_COMMAND = re.compile(r"(?:(?<=\s)|^)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?!\w)")
_SUPERGROUP_BASE = -1_000_000_000_000


def _utf16_len(text: str) -> int:
    """Telegram measures entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def make_user(
    user_id: int,
    first_name: str = "Người dùng",
    *,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = "vi",
    is_bot: bool = False,
) -> dict[str, Any]:
    """A User object; optional fields are omitted when None, as Telegram omits them."""
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    for key, value in (
        ("last_name", last_name),
        ("username", username),
        ("language_code", language_code),
    ):
        if value is not None:
            user[key] = value
    return user


def make_chat(
    chat_id: int, *, user: dict[str, Any] | None = None, title: str | None = None
) -> dict[str, Any]:
    """A Chat object: private chats mirror the user, groups carry a title."""
    if chat_id > 0:
        person = user or make_user(chat_id)
        chat: dict[str, Any] = {"id": chat_id, "type": "private"}
        for key in ("first_name", "last_name", "username"):
            if key in person:
                chat[key] = person[key]
        return chat
    kind = "supergroup" if chat_id <= _SUPERGROUP_BASE else "group"
    return {"id": chat_id, "type": kind, "title": title or "Nhóm góp ý"}


def command_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities for every /command in the text, as Telegram detects them."""
    return [
        {
            "offset": _utf16_len(text[: match.start()]),
            "length": _utf16_len(match.group(0)),
            "type": "bot_command",
        }
        for match in _COMMAND.finditer(text)
    ]


def _message(
    chat_id: int,
    user: dict[str, Any] | None,
    message_id: int | None,
    date: int | None,
    *,
    title: str | None = None,
) -> dict[str, Any]:
    """Fields every message has: id, sender, chat and an integer date."""
    sender = user or make_user(chat_id if chat_id > 0 else 100_001)
    return {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "from": sender,
        "chat": make_chat(chat_id, user=sender, title=title),
        "date": date if date is not None else int(time.time()),
    }


def _update(kind: str, payload: dict[str, Any], update_id: int | None) -> dict[str, Any]:
    """Wrap a payload; update_id only when the caller fixed one."""
    update: dict[str, Any] = {} if update_id is None else {"update_id": update_id}
    update[kind] = payload
    return update


def _with_text(message: dict[str, Any], text: str) -> dict[str, Any]:
    """Add text and any command entities."""
    message["text"] = text
    entities = command_entities(text)
    if entities:
        message["entities"] = entities
    return message


def make_text_update(
    chat_id: int,
    text: str,
    *,
    user: dict[str, Any] | None = None,
    message_id: int | None = None,
    date: int | None = None,
    update_id: int | None = None,
) -> dict[str, Any]:
    """A private (or any) chat text message; /commands get bot_command entities."""
    message = _with_text(_message(chat_id, user, message_id, date), text)
    return _update("message", message, update_id)


def make_group_message(
    chat_id: int,
    text: str,
    *,
    user: dict[str, Any] | None = None,
    title: str | None = None,
    message_id: int | None = None,
    date: int | None = None,
    update_id: int | None = None,
) -> dict[str, Any]:
    """A text message in a group (``-100...`` ids are supergroups, as on Telegram)."""
    if chat_id >= 0:
        raise ValueError("group chat ids are negative")
    message = _with_text(_message(chat_id, user, message_id, date, title=title), text)
    return _update("message", message, update_id)


def make_callback_update(
    chat_id: int,
    data: str,
    message_id: int,
    *,
    user: dict[str, Any] | None = None,
    message_text: str = "",
    callback_id: str | None = None,
    bot_user: dict[str, Any] | None = None,
    update_id: int | None = None,
) -> dict[str, Any]:
    """A button press on the bot's message ``message_id`` (the stand-in fills in its content)."""
    sender = user or make_user(chat_id if chat_id > 0 else 100_001)
    bot = bot_user or make_user(
        1, "Stand-in Bot", username="standin_bot", language_code=None, is_bot=True
    )
    message = {
        "message_id": message_id,
        "from": bot,
        "chat": make_chat(chat_id, user=sender),
        "date": int(time.time()),
        "text": message_text or "…",
    }
    query = {
        "id": callback_id or str(4_000_000_000_000 + next(_ids)),
        "from": sender,
        "message": message,
        "chat_instance": str(abs(chat_id) * 7919),
        "data": data,
    }
    return _update("callback_query", query, update_id)


def _file_ids(kind: str) -> tuple[str, str]:
    """Unique file_id/file_unique_id pair for a media object."""
    number = next(_ids)
    return f"standin-{kind}-in-{number:06d}", f"AQAD{kind[:2]}{number:06d}"


def make_photo_update(
    chat_id: int,
    *,
    caption: str | None = None,
    user: dict[str, Any] | None = None,
    width: int = 1280,
    height: int = 960,
    message_id: int | None = None,
    update_id: int | None = None,
) -> dict[str, Any]:
    """A photo message with the usual three PhotoSize variants (small to large)."""
    message = _message(chat_id, user, message_id, None)
    sizes = []
    for scale in (0.0703125, 0.25, 1.0):
        file_id, unique_id = _file_ids("photo")
        w, h = max(1, int(width * scale)), max(1, int(height * scale))
        sizes.append(
            {
                "file_id": file_id,
                "file_unique_id": unique_id,
                "file_size": w * h // 8,
                "width": w,
                "height": h,
            }
        )
    message["photo"] = sizes
    if caption is not None:
        message["caption"] = caption
    return _update("message", message, update_id)


def make_voice_update(
    chat_id: int,
    *,
    duration: int = 3,
    user: dict[str, Any] | None = None,
    mime_type: str = "audio/ogg",
    message_id: int | None = None,
    update_id: int | None = None,
) -> dict[str, Any]:
    """A voice note (OGG/Opus, ~2 KB per second as Telegram clients record it)."""
    message = _message(chat_id, user, message_id, None)
    file_id, unique_id = _file_ids("voice")
    message["voice"] = {
        "file_id": file_id,
        "file_unique_id": unique_id,
        "duration": duration,
        "mime_type": mime_type,
        "file_size": duration * 2_000,
    }
    return _update("message", message, update_id)
