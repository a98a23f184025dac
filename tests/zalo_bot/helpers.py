"""Driving a chat at the Zalo Bot stand-in: say something, pick a numbered option, wait."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from bot.zalo_bot.standin import ZaloBotStandin, make_text_update
from tests.zalo_bot.conftest import Stack

CHAT = "6ede9afa66b88fe6d6a9"
_OPTION = re.compile(r"^(\d{1,2})\. (.+)$", re.MULTILINE)


async def eventually(check: Callable[[], bool], within: float = 10.0) -> None:
    """Wait (bounded) for what the server does in the background: a chat is paced at 1/s."""
    for _ in range(int(within / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"condition not reached within {within} s")


def texts(standin: ZaloBotStandin, chat: str = CHAT) -> list[str]:
    return [message.text for message in standin.sent_to(chat)]


def option(standin: ZaloBotStandin, label_part: str, chat: str = CHAT) -> str:
    """The number in front of the newest listed option whose label has `label_part`."""
    for text in reversed(texts(standin, chat)):
        for number, label in _OPTION.findall(text):
            if label_part.lower() in label.lower():
                return str(number)
    raise AssertionError(f"no option {label_part!r}; sent: {texts(standin, chat)[-2:]}")


async def say(stack: Stack, text: str, expect: str, chat: str = CHAT) -> None:
    """Send a text and wait for a reply containing `expect`."""
    before = len(stack.standin.sent_to(chat))
    stack.standin.inject_update(make_text_update(chat, text))
    await eventually(lambda: any(expect in t for t in texts(stack.standin, chat)[before:]))


async def pick(stack: Stack, label: str, expect: str, chat: str = CHAT) -> None:
    """Reply with the number of the option labelled `label`, as a citizen would."""
    await say(stack, option(stack.standin, label, chat), expect, chat)
