"""Driving a Zalo chat: a user writes or presses a button, and we wait for the answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.zalo.standin import Event, ZaloStandin

USER = "2468013579"


async def eventually(check: Callable[[], bool], within: float = 10.0) -> None:
    """Wait (bounded) for what the service does in the background."""
    for _ in range(int(within / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"condition not reached within {within} s")


async def eventually_async(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    for _ in range(int(within / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"condition not reached within {within} s")


def texts(zalo: ZaloStandin, user: str = USER) -> list[str]:
    return [message.text for message in zalo.sent_to(user)]


def button_payload(zalo: ZaloStandin, title_part: str, user: str = USER) -> str:
    """The payload of the newest button whose title contains `title_part`."""
    for message in reversed(zalo.sent_to(user)):
        for button in message.buttons:
            if title_part.lower() in button["title"].lower():
                return str(button["payload"])
    raise AssertionError(f"no button {title_part!r}; last texts: {texts(zalo, user)[-3:]}")


def numbered_choice(zalo: ZaloStandin, label_part: str, user: str = USER) -> str:
    """The number in front of a numbered choice line in the newest message that lists it."""
    for message in reversed(zalo.sent_to(user)):
        for line in message.text.splitlines():
            number, dot, label = line.partition(". ")
            if dot and number.isdigit() and label_part.lower() in label.lower():
                return number
    raise AssertionError(f"no numbered choice {label_part!r}; last: {texts(zalo, user)[-2:]}")


async def deliver_and_wait(
    zalo: ZaloStandin, event: Event, expect: str, user: str = USER
) -> None:
    before = len(zalo.sent_to(user))
    status = await zalo.deliver(event)
    assert status == 200, f"the webhook answered {status} to a signed {event['event_name']}"
    await eventually(lambda: any(expect in text for text in texts(zalo, user)[before:]))


async def say(zalo: ZaloStandin, text: str, expect: str, user: str = USER) -> None:
    """The user types `text`; wait until a message containing `expect` reaches them."""
    await deliver_and_wait(zalo, zalo.events.text(user, text), expect, user)


async def press(zalo: ZaloStandin, title: str, expect: str, user: str = USER) -> None:
    """The user presses a button: Zalo sends its payload back as the user's text."""
    await say(zalo, button_payload(zalo, title, user), expect, user)


async def choose(zalo: ZaloStandin, label: str, expect: str, user: str = USER) -> None:
    """The user types the number of a numbered choice."""
    await say(zalo, numbered_choice(zalo, label, user), expect, user)


async def tap(zalo: ZaloStandin, label: str, expect: str, user: str = USER) -> None:
    """Pick a choice however the newest message offers it: a button, or a numbered line."""
    for message in reversed(zalo.sent_to(user)):
        if any(label.lower() in b["title"].lower() for b in message.buttons):
            await press(zalo, label, expect, user)
            return
        if any(label.lower() in line.lower() and line[:1].isdigit()
               for line in message.text.splitlines()):
            await choose(zalo, label, expect, user)
            return
    raise AssertionError(f"no choice {label!r} offered; last: {texts(zalo, user)[-2:]}")
