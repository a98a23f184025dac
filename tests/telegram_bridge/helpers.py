"""Driving a chat at the Bot API stand-in: say something, press a button, wait for replies."""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.telegram.standin import (
    BotApiStandin,
    make_callback_update,
    make_text_update,
    make_user,
)
from tests.telegram.tg_helpers import eventually as _eventually
from tests.telegram_bridge.conftest import Stack

CHAT = 700_001


async def eventually(check: Callable[[], bool]) -> None:
    """Wait (bounded) for what the server does in the background: a chat is paced at 1/s."""
    await _eventually(check, 10.0)


def texts(standin: BotApiStandin, chat: int = CHAT) -> list[str]:
    return [m.text or "" for m in standin.sent_to(chat)]


def button(standin: BotApiStandin, label_part: str, chat: int = CHAT) -> tuple[str, int]:
    """The callback_data and message id of the newest button whose label has `label_part`."""
    for message in reversed(standin.sent_to(chat)):
        markup = message.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if label_part.lower() in button["text"].lower():
                    return button["callback_data"], message.message_id
    raise AssertionError(f"no button {label_part!r}; sent: {texts(standin, chat)[-3:]}")


async def say(stack: Stack, text: str, expect: str, chat: int = CHAT) -> None:
    before = len(stack.standin.sent_to(chat))
    stack.standin.inject_update(make_text_update(chat, text, user=make_user(chat)))
    await eventually(lambda: any(expect in t for t in texts(stack.standin, chat)[before:]))


async def press(stack: Stack, label: str, expect: str, chat: int = CHAT) -> None:
    data, message_id = button(stack.standin, label, chat)
    count = len(stack.standin.sent)
    stack.standin.inject_update(make_callback_update(chat, data, message_id, user=make_user(chat)))
    await eventually(lambda: any(expect in (m.text or "") for m in stack.standin.sent[count:]))
