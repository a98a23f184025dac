"""Signing in and out over real HTTP: sessions, cookies, redirects, expiry."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from storage.clock import FixedClock
from tests.admin.conftest import (
    Client,
    ClientFactory,
    People,
    actor,
    audit_actions,
    settings_for,
)


async def test_pages_need_a_login_and_come_back_after_it(client: Client) -> None:
    status, html = await client.get("/admin/rounds?status=open")
    assert status == 200 and "/admin/login?next=" in client.url, "anonymous goes to the login"
    assert 'name="password"' in html and 'autocomplete="current-password"' in html
    status, html = await client.post("/admin/login", {
        "login": "LAN ", "password": "mat-khau-dai-10", "next": "/admin/rounds?status=open"})
    assert status == 200 and client.url.endswith("/admin/rounds?status=open"), client.url
    assert "Dự thảo Quyết định thử nghiệm" in html, "the list shows the agency's open round"


async def test_wrong_password_is_refused_with_a_vietnamese_message(
    client: Client, engine: AsyncEngine
) -> None:
    status, html = await client.login("lan", "sai-mat-khau-roi")
    assert status == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in html
    status, html = await client.login("nobody", "sai-mat-khau-roi")
    assert status == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in html, \
        "an unknown login gets the same answer as a wrong password"
    failed = await audit_actions(engine, "console.login_failed")
    assert [e.target for e in failed] == ["login:lan", "login:nobody"]
    assert all(e.remote_addr == "127.0.0.1" for e in failed), "the address is recorded"


async def test_empty_fields_are_named_beside_their_inputs(client: Client) -> None:
    await client.get("/admin/login")
    status, html = await client.post("/admin/login", {"login": " ", "password": ""})
    assert status == 400
    assert "Vui lòng nhập tên đăng nhập." in html and "Vui lòng nhập mật khẩu." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="err-login"' in html


async def test_login_is_audited_and_logout_ends_the_session(
    client_factory: ClientFactory, engine: AsyncEngine
) -> None:
    client = await client_factory()
    await client.login("lan")
    status, html = await client.post("/admin/logout")
    assert status == 200 and client.url.endswith("/admin/login"), "logout shows the login page"
    assert "Bạn đã đăng xuất." in html
    await client.get("/admin/rounds")
    assert "/admin/login" in client.url, "after logout the console needs a login again"
    actions = [(e.action, e.actor) for e in await audit_actions(engine, "console.")]
    lan = await actor(engine, "lan")
    assert ("console.login", lan) in actions and ("console.logout", lan) in actions


async def test_the_console_cookie_is_its_own_httponly_samesite_and_limited_to_admin(
    client: Client,
) -> None:
    async with client.session.get(client.base + "/admin/login") as response:
        cookie = response.cookies["consultbot_admin"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/admin"
    assert not cookie["secure"], "plain http on localhost: no Secure flag"
    assert "consultbot_chat" not in response.cookies, "the chat's cookie is left alone"


async def test_cookies_are_secure_when_the_public_address_is_https(
    db_url: str, engine: AsyncEngine, people: People, clock: FixedClock
) -> None:
    runtime = Runtime(settings_for(db_url, public_url="https://gopy.example.gov.vn"), clock)
    await runtime.start()
    try:
        async with aiohttp.ClientSession() as session, \
                session.get(runtime.url + "/admin/login") as response:
            assert response.cookies["consultbot_admin"]["secure"]
    finally:
        await runtime.stop()


async def test_an_idle_session_expires_after_two_hours(
    client_factory: ClientFactory, clock: FixedClock
) -> None:
    client = await client_factory()
    await client.login("lan")
    clock.advance(timedelta(hours=1, minutes=50))
    await client.get("/admin/rounds")
    assert client.url.endswith("/admin/rounds"), "still signed in within two hours"
    clock.advance(timedelta(hours=2, minutes=1))
    _status, html = await client.get("/admin/rounds")
    assert "/admin/login" in client.url and "Phiên làm việc đã hết hạn" in html


async def test_a_session_ends_twelve_hours_after_login_even_when_busy(
    client_factory: ClientFactory, clock: FixedClock
) -> None:
    client = await client_factory()
    await client.login("lan")
    for _ in range(13):
        clock.advance(timedelta(hours=1))
        await client.get("/admin/rounds")
    assert "/admin/login" in client.url, "the absolute limit holds even with activity"


async def test_next_cannot_send_anyone_to_another_site(client: Client) -> None:
    await client.get("/admin/login")
    await client.post("/admin/login", {"login": "lan", "password": "mat-khau-dai-10",
                                       "next": "//evil.example/phish"})
    assert client.url.endswith("/admin/rounds"), f"open redirect: went to {client.url}"


async def test_the_language_switch_turns_the_console_english_and_back(client: Client) -> None:
    await client.get("/admin/login")
    _, html = await client.post("/admin/language", {"locale": "en", "next": "/admin/login"})
    assert 'lang="en"' in html and "Log in to the console" in html
    await client.login("lan")
    _status, html = await client.get("/admin/rounds")
    assert "Consultation rounds" in html, "the language survives signing in"
    await client.post("/admin/language", {"locale": "vi", "next": "/admin/rounds"})
    assert "Đợt lấy ý kiến" in (await client.get("/admin/rounds"))[1]


async def test_a_deactivated_account_is_signed_out_on_its_next_click(
    client_factory: ClientFactory, engine: AsyncEngine
) -> None:
    from sqlalchemy import update

    from storage.models import Staff

    client = await client_factory()
    await client.login("lan")
    async with engine.begin() as conn:
        await conn.execute(update(Staff).where(Staff.login == "lan").values(active=False))
    await client.get("/admin/rounds")
    assert "/admin/login" in client.url


async def test_unknown_console_pages_and_assets_are_polite_404s(client_factory: ClientFactory
                                                                ) -> None:
    client = await client_factory()
    await client.login("lan")
    status, html = await client.get("/admin/nowhere")
    assert status == 404 and "Không tìm thấy trang" in html
    status, _ = await client.get("/admin/static/../settings.py")
    assert status == 404
    for name in ("admin.css", "admin.js", "favicon.svg"):
        status, _ = await client.get(f"/admin/static/{name}")
        assert status == 200, name
