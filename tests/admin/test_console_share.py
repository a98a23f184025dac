"""Deep links and QR codes per channel, with the Telegram username asked of the Bot API."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from urllib.parse import unquote

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from bot.telegram.standin import BotApiStandin, StandinLimits
from storage.clock import FixedClock
from tests.admin.conftest import Client, People, settings_for

TOKEN = "123456:TEST-console"


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    async with BotApiStandin(TOKEN, limits=StandinLimits()) as running:
        yield running


async def _round_page(url: str, round_id: int) -> str:
    # Secure cookies (PUBLIC_URL is https) travel back over loopback, as behind a TLS proxy.
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[url])
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        client = Client(session, url)
        status, _ = await client.login("lan")
        assert status == 200
        return (await client.get(f"/admin/rounds/{round_id}"))[1]


async def test_web_and_telegram_links_with_qr_codes(
    db_url: str, engine: AsyncEngine, people: People, clock: FixedClock,
    standin: BotApiStandin,
) -> None:
    settings = settings_for(db_url, public_url="https://gopy.example.gov.vn",
                            telegram_bot_token=TOKEN, telegram_api_base_url=standin.root_url,
                            telegram_webhook_secret="s3cret", zalo_oa_id="4318205627416371")
    runtime = Runtime(settings, clock)
    await runtime.start()
    try:
        html = await _round_page(runtime.url, people.round_a)
    finally:
        await runtime.stop()
    assert f'href="https://gopy.example.gov.vn/?r={people.round_a}"' in html
    assert f'href="https://t.me/standin_bot?start=r{people.round_a}"' in html
    assert 'href="https://zalo.me/4318205627416371"' in html
    svgs = re.findall(r'<img src="(data:image/svg\+xml[^"]+)"', html)
    assert len(svgs) == 3 and all("<svg" in unquote(uri) for uri in svgs), "one QR per channel"
    png = re.search(r'href="data:image/png;base64,([^"]+)" download="round-1-webchat.png"', html)
    assert png and base64.b64decode(png.group(1)).startswith(b"\x89PNG")


async def test_without_a_public_address_the_link_uses_the_console_address(
    db_url: str, engine: AsyncEngine, people: People, clock: FixedClock
) -> None:
    runtime = Runtime(settings_for(db_url), clock)
    await runtime.start()
    try:
        html = await _round_page(runtime.url, people.round_a)
    finally:
        await runtime.stop()
    assert f'href="{runtime.url}/?r={people.round_a}"' in html
    assert "t.me/" not in html, "no Telegram link without a bot token"


async def test_an_unreachable_bot_api_hides_the_telegram_link_and_says_why(
    db_url: str, engine: AsyncEngine, people: People, clock: FixedClock
) -> None:
    standin = BotApiStandin(TOKEN, limits=StandinLimits())
    await standin.start()
    settings = settings_for(db_url, telegram_bot_token=TOKEN,
                            telegram_api_base_url=standin.root_url,
                            telegram_webhook_secret="s3cret")
    runtime = Runtime(settings, clock)
    await runtime.start()
    await standin.stop()  # the bridge started; then Telegram became unreachable
    try:
        html = await _round_page(runtime.url, people.round_a)
    finally:
        await runtime.stop()
    assert "t.me/" not in html and "Chưa lấy được tên bot Telegram" in html
