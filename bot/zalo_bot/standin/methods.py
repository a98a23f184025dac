"""getMe and the sending methods, validated and answered as the Zalo Bot API documents them."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .builders import new_id
from .state import SentMessage

MAX_TEXT = 2000  # sendMessage text and sendPhoto caption: 1 to 2,000 characters
CHAT_ACTIONS = {"typing", "upload_photo"}
Method = Callable[[dict[str, Any], web.Request], Awaitable[Any]]


class Refusal(Exception):
    """An API error answer: `{"ok": false, "error_code": code, "description": ...}`."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def units(text: str) -> int:
    """Characters counted as UTF-16 code units, the stricter reading of "2,000 characters"."""
    return len(text.encode("utf-16-le")) // 2


def required(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Refusal(400, f"Bad request: {name} is required")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise Refusal(400, f"Bad request: {name} must be a string")
    return str(value)


def _text(params: dict[str, Any], name: str, *, optional: bool = False) -> str | None:
    if optional and params.get(name) in (None, ""):
        return None
    text = required(params, name)
    if not 1 <= units(text) <= MAX_TEXT:
        raise Refusal(400, f"Bad request: {name} must be 1-{MAX_TEXT} characters")
    return text


class Methods:
    """The bot's own methods; every sent message is appended to `sent`."""

    def __init__(self, bot_id: str, account_name: str, sent: list[SentMessage]) -> None:
        self.bot_id, self.account_name, self.sent = bot_id, account_name, sent

    def handlers(self) -> dict[str, Method]:
        return {"getMe": self.get_me, "sendMessage": self.send_message,
                "sendPhoto": self.send_photo, "sendSticker": self.send_sticker,
                "sendChatAction": self.send_chat_action}

    async def get_me(self, _params: dict[str, Any], _request: web.Request) -> Any:
        return {"id": self.bot_id, "account_name": self.account_name,
                "account_type": "BASIC", "can_join_groups": False}

    async def send_message(self, params: dict[str, Any], _request: web.Request) -> Any:
        chat_id = required(params, "chat_id")
        text = _text(params, "text") or ""
        return self._record("sendMessage", chat_id, text, params)

    async def send_photo(self, params: dict[str, Any], _request: web.Request) -> Any:
        chat_id = required(params, "chat_id")
        photo = required(params, "photo")
        if not photo.startswith(("http://", "https://")):
            raise Refusal(400, "Bad request: photo must be a URL")
        caption = _text(params, "caption", optional=True)
        return self._record("sendPhoto", chat_id, caption or "", params)

    async def send_sticker(self, params: dict[str, Any], _request: web.Request) -> Any:
        chat_id = required(params, "chat_id")
        required(params, "sticker")
        return self._record("sendSticker", chat_id, "", params)

    async def send_chat_action(self, params: dict[str, Any], _request: web.Request) -> Any:
        required(params, "chat_id")
        if params.get("action") not in CHAT_ACTIONS:
            raise Refusal(400, "Bad request: action must be typing or upload_photo")
        return None  # answered as {"ok": true}, without a result

    def _record(self, method: str, chat_id: str, text: str, params: dict[str, Any]) -> Any:
        message = SentMessage(method, chat_id, text, new_id(), int(time.time() * 1000),
                              dict(params))
        self.sent.append(message)
        return {"message_id": message.message_id, "date": message.date}
