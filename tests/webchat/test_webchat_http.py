"""The web chat over real HTTP on loopback: first visit to a stored comment."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from bot.settings import Settings
from consultations import outbox
from storage.clock import FixedClock
from storage.engine import session_factory
from storage.models import Comment
from storage.uow import UnitOfWorkFactory


@pytest.fixture
async def server(
    db_url: str, engine: AsyncEngine, open_round: int, clock: FixedClock
) -> AsyncIterator[str]:
    settings = Settings(database_url=db_url, http_port=0, admin_secret_key="k" * 40,
                        chat_burst=30, _env_file=None)  # type: ignore[call-arg]
    runtime = Runtime(settings, clock)
    await runtime.start()
    yield runtime.url
    await runtime.stop()


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    jar = aiohttp.CookieJar(unsafe=True)  # cookies on 127.0.0.1
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield session


async def _post(session: aiohttp.ClientSession, url: str, **body: Any) -> dict[str, Any]:
    body.setdefault("event_id", uuid.uuid4().hex)
    async with session.post(f"{url}/api/chat", json=body) as response:
        assert response.status == 200, await response.text()
        return dict(await response.json())


def _action(reply_body: dict[str, Any], label_part: str) -> str:
    for reply in reply_body["replies"]:
        for row in reply["buttons"]:
            for button in row:
                if label_part.lower() in button["label"].lower():
                    return str(button["action"])
    raise AssertionError(f"no button {label_part!r} in {reply_body}")


async def test_page_and_assets_are_served_without_external_resources(
    server: str, browser: aiohttp.ClientSession
) -> None:
    async with browser.get(f"{server}/") as page:
        html = await page.text()
        assert page.status == 200 and 'lang="vi"' in html
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert "http://" not in html and "https://" not in html, "no external CDN"
    for name in ("chat.js", "chat.css", "favicon.svg"):
        async with browser.get(f"{server}/static/{name}") as asset:
            assert asset.status == 200, name
    async with browser.get(f"{server}/static/../settings.py") as missing:
        assert missing.status == 404
    async with browser.get(f"{server}/healthz") as health:
        assert health.status == 200 and (await health.json())["status"] == "ok"


async def test_from_first_visit_to_a_stored_comment_on_article_two(
    server: str, browser: aiohttp.ClientSession, uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    async with browser.get(f"{server}/api/chat/history") as history:
        assert (await history.json())["replies"] == []
    body = await _post(browser, server, action="start")
    body = await _post(browser, server, action=_action(body, "đồng ý"))
    body = await _post(browser, server, action="rounds")
    body = await _post(browser, server, action=_action(body, "Dự thảo"))
    body = await _post(browser, server, action=_action(body, "Đọc từng điều"))
    body = await _post(browser, server, action=_action(body, "Điều sau"))
    assert "Điều 2. Đối tượng áp dụng" in body["replies"][0]["text"]
    body = await _post(browser, server, action=_action(body, "Góp ý điều này"))
    body = await _post(browser, server, text="Đề nghị thêm hợp tác xã vào Điều 2.")
    body = await _post(browser, server, action=_action(body, "Đồng tình"))
    body = await _post(browser, server, action=_action(body, "Gửi"))
    assert "Đã ghi nhận góp ý" in body["replies"][0]["text"]

    fresh = UnitOfWorkFactory(session_factory(engine))
    async with fresh() as uow:
        comment = await uow.session.scalar(select(Comment))
    assert comment is not None and comment.body == "Đề nghị thêm hợp tác xã vào Điều 2."
    assert comment.channel == "webchat" and comment.section_id is not None

    async with browser.get(f"{server}/api/chat/history") as history:
        texts = [r["text"] for r in (await history.json())["replies"]]
    assert any("Đã ghi nhận góp ý" in t for t in texts), "a reload shows the conversation"


async def test_retried_post_with_the_same_event_id_returns_the_same_replies(
    server: str, browser: aiohttp.ClientSession
) -> None:
    first = await _post(browser, server, action="start", event_id="retry-event-1")
    again = await _post(browser, server, action="start", event_id="retry-event-1")
    assert again["replies"] == first["replies"] and first["replies"]


async def test_agency_message_queued_later_arrives_by_polling(
    server: str, browser: aiohttp.ClientSession, uow_factory: UnitOfWorkFactory
) -> None:
    await _post(browser, server, action="start")
    visitor = next(c.value for c in browser.cookie_jar if c.key == "consultbot_chat")
    assert visitor, "the session cookie is set"
    async with uow_factory() as uow:
        rows = await outbox.history(uow, "webchat", "x")
        assert rows == []
    body = await _post(browser, server, action="consent:yes")
    async with browser.get(f"{server}/api/chat/updates", params={"after": body["last_id"]}) as r:
        assert (await r.json())["replies"] == []


async def test_bad_requests_get_polite_errors_and_the_server_stays_up(
    server: str, browser: aiohttp.ClientSession
) -> None:
    cases: list[tuple[dict[str, Any], int]] = [
        ({"data": "not json", "headers": {"Content-Type": "application/json"}}, 400),
        ({"data": "text=hi", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
         400),
        ({"json": {"event_id": "short", "text": "hi"}}, 400),
        ({"json": {"event_id": "abcdefgh12", "text": "hi", "action": "menu"}}, 400),
        ({"json": {"event_id": "abcdefgh13", "text": 5}}, 400),
        ({"json": [1, 2]}, 400),
        ({"json": {"event_id": "abcdefgh14", "text": "x" * 70_000}}, 413),
    ]
    for kwargs, status in cases:
        async with browser.post(f"{server}/api/chat", **kwargs) as response:
            assert response.status == status, kwargs
            assert (await response.json())["error"], "the error says something to the person"
    body = await _post(browser, server, text="xin chào")
    assert body["replies"], "the server still answers"


async def test_a_flooding_visitor_is_slowed_while_others_are_served(
    server: str, browser: aiohttp.ClientSession
) -> None:
    statuses = []
    for _ in range(45):
        async with browser.post(f"{server}/api/chat",
                                json={"event_id": uuid.uuid4().hex, "text": "spam"}) as r:
            statuses.append(r.status)
            if r.status == 429:
                assert "nhanh" in (await r.json())["error"] and r.headers["Retry-After"]
    assert 429 in statuses and statuses[0] == 200
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        body = await _post(other, server, action="start")
        assert body["replies"], "another visitor is served as usual"
