"""What the broadcast benchmark needs of the stand-in: configurable rates, a pageable sent log."""

from __future__ import annotations

import asyncio
import socket
import sys

import aiohttp
from telegram import Bot
from telegram.error import RetryAfter

from bot.telegram.request import AiohttpRequest
from bot.telegram.standin import BotApiStandin
from tests.telegram.tg_helpers import TOKEN


async def test_the_sent_log_pages_in_order_and_marks_paid_broadcasts(
    standin: BotApiStandin, bot: Bot, http: aiohttp.ClientSession
) -> None:
    for chat in range(1, 6):
        await bot.send_message(chat, f"tin {chat}", allow_paid_broadcast=chat % 2 == 0)
    url = f"{standin.root_url}/_standin/sent"
    async with http.get(url, params={"offset": 0, "limit": 3}) as response:
        first = await response.json()
    async with http.get(url, params={"offset": first["next"]}) as response:
        rest = await response.json()
    pages = first["sent"] + rest["sent"]
    assert (first["next"], first["total"], rest["next"]) == (3, 5, 5)
    assert [m["chat_id"] for m in pages] == [1, 2, 3, 4, 5], "pages skipped or repeated"
    assert [m["text"] for m in pages] == [f"tin {chat}" for chat in range(1, 6)]
    assert [m["paid"] for m in pages] == [False, True, False, True, False]
    assert pages[1]["message_id"] == standin.sent[1].message_id


async def test_the_sent_log_refuses_an_offset_that_is_not_a_number(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{standin.root_url}/_standin/sent?offset=abc") as response:
        assert response.status == 400


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_the_command_line_sets_the_overall_and_paid_rates() -> None:
    """--per-second 0 refuses every ordinary message; the paid rate still lets broadcasts go."""
    port = _free_port()
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.telegram.standin", "--port", str(port), "--token", TOKEN,
        "--per-second", "0", "--paid-per-second", "1000",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        banner = await child.stdout.readline()
        assert b"base_url=" in banner, "the stand-in did not start"
        bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=AiohttpRequest())
        async with bot:
            await bot.send_message(7, "tin trả phí", allow_paid_broadcast=True)
            refused = None
            try:
                await bot.send_message(8, "tin thường")
            except RetryAfter as error:
                refused = error
            assert refused is not None, "an ordinary message passed a zero overall rate"
    finally:
        child.terminate()
        await child.wait()
