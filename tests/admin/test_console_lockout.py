"""Login lock-out: per login and per address, in the database, so restarts do not reset it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from consultations.console import signin
from storage.clock import FixedClock
from tests.admin.conftest import Client, ClientFactory, People, audit_actions, settings_for


async def _fail(client: Client, login: str, times: int, address: str | None = None) -> int:
    headers = {"X-Forwarded-For": address} if address else None
    status = 0
    for _ in range(times):
        status, _ = await client.login(login, "sai-mat-khau-roi", headers=headers)
    return status


async def test_five_failures_lock_the_login_even_for_the_right_password(
    client: Client, engine: AsyncEngine
) -> None:
    assert await _fail(client, "lan", signin.LOGIN_LIMIT - 1) == 401
    assert await _fail(client, "lan", 1) == 429, "the failure that locks says so at once"
    status, html = await client.login("lan")
    assert status == 429, "the right password does not get through a lock"
    assert "tạm khoá đến 09:15" in html, "the lock ends 15 minutes later, in Vietnam time"
    actions = [e.action for e in await audit_actions(engine, "console.")]
    assert actions.count("console.lockout") == 1 and "console.login_locked" in actions


async def test_the_lock_ends_after_fifteen_minutes(client: Client, clock: FixedClock) -> None:
    await _fail(client, "lan", signin.LOGIN_LIMIT)
    clock.advance(timedelta(minutes=14))
    assert (await client.login("lan"))[0] == 429
    clock.advance(timedelta(minutes=2))
    status, _ = await client.login("lan")
    assert status == 200 and client.url.endswith("/admin/rounds"), "unlocked after 15 minutes"


async def test_other_logins_are_not_locked_by_someone_elses_failures(
    client_factory: ClientFactory,
) -> None:
    attacker = await client_factory()
    await _fail(attacker, "lan", signin.LOGIN_LIMIT, address="203.0.113.9")
    colleague = await client_factory()
    status, _ = await colleague.login("hoa", headers={"X-Forwarded-For": "203.0.113.10"})
    assert status == 200 and colleague.url.endswith("/admin/rounds")


async def test_many_logins_tried_from_one_address_lock_that_address(
    client: Client, client_factory: ClientFactory
) -> None:
    sprayer = "198.51.100.7"
    for n in range(signin.ADDRESS_LIMIT):
        await _fail(client, f"guess{n}", 1, address=sprayer)
    status, _html = await client.login("lan", headers={"X-Forwarded-For": sprayer})
    assert status == 429, "a locked address cannot log in, whatever the login"
    elsewhere = await client_factory()
    status, _ = await elsewhere.login("lan", headers={"X-Forwarded-For": "198.51.100.8"})
    assert status == 200, "the same login from another address still works"


async def test_only_the_proxys_own_entry_of_x_forwarded_for_counts(
    client: Client, engine: AsyncEngine
) -> None:
    await _fail(client, "lan", 1, address="6.6.6.6, 192.0.2.44")
    failed = await audit_actions(engine, "console.login_failed")
    assert failed[-1].remote_addr == "192.0.2.44", "the client's own entries are ignored"


async def test_a_lock_survives_a_restart_of_the_service(
    db_url: str, engine: AsyncEngine, people: People, clock: FixedClock,
    client_factory: ClientFactory,
) -> None:
    await _fail(await client_factory(), "lan", signin.LOGIN_LIMIT)
    restarted = Runtime(settings_for(db_url), clock)
    await restarted.start()
    try:
        import aiohttp

        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            fresh = Client(session, restarted.url)
            status, _ = await fresh.login("lan")
        assert status == 429, "a new instance on the same database sees the lock"
    finally:
        await restarted.stop()


async def test_a_success_resets_the_count_for_that_login(client: Client) -> None:
    await _fail(client, "lan", signin.LOGIN_LIMIT - 1)
    assert (await client.login("lan"))[0] == 200
    await client.post("/admin/logout")
    assert await _fail(client, "lan", signin.LOGIN_LIMIT - 1) == 401, "counting starts again"
