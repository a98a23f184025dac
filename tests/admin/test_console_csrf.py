"""CSRF: a POST without this session's token is refused with a 403 page and changes nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import rounds
from storage.engine import session_factory
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import ClientFactory, People, actor, audit_actions, signed_in


async def _status_of(engine: AsyncEngine, round_id: int) -> str:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return (await rounds.get_round(uow, round_id)).status


async def test_a_post_without_a_token_is_refused_and_nothing_changes(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    client = await signed_in(client_factory, "lan")
    status, html = await client.post(f"/admin/rounds/{people.round_a}/close",
                                     {"reason": "Thử"}, csrf=False)
    assert status == 403 and "Biểu mẫu đã hết hạn hoặc không hợp lệ" in html
    assert await _status_of(engine, people.round_a) == "open", "the round was closed anyway"
    refused = await audit_actions(engine, "console.csrf_rejected")
    assert refused and refused[0].actor == await actor(engine, "lan")
    assert refused[0].remote_addr == "127.0.0.1", "the refusal records where it came from"


async def test_a_wrong_token_is_refused(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    client = await signed_in(client_factory, "lan")
    client.token = client.token[:-4] + "AAAA"
    status, _ = await client.post(f"/admin/rounds/{people.round_a}/close", {"reason": "Thử"})
    assert status == 403
    assert await _status_of(engine, people.round_a) == "open"


async def test_another_sessions_token_does_not_work_here(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    victim = await signed_in(client_factory, "lan")
    attacker = await signed_in(client_factory, "root")
    victim.token = attacker.token
    status, _ = await victim.post(f"/admin/rounds/{people.round_a}/close", {"reason": "Thử"})
    assert status == 403, "tokens are per session, not global"
    assert await _status_of(engine, people.round_a) == "open"


async def test_a_multipart_upload_without_a_token_is_refused(
    client_factory: ClientFactory, people: People
) -> None:
    import aiohttp

    client = await signed_in(client_factory, "minh")
    form = aiohttp.FormData()
    form.add_field("draft", "Điều 1. Một\nNội dung.")
    form.add_field("action", "save")
    status, _ = await client.post(f"/admin/rounds/{people.round_b}/draft", form, csrf=False)
    assert status == 403


async def test_the_login_form_itself_needs_the_token(client_factory: ClientFactory) -> None:
    client = await client_factory()
    status, _html = await client.post("/admin/login", {"login": "lan",
                                                      "password": "mat-khau-dai-10"}, csrf=False)
    assert status == 403, "no login CSRF: a foreign site cannot sign a browser in"
    await client.get("/admin/rounds")
    assert "/admin/login" in client.url


async def test_signing_in_issues_a_new_token(client_factory: ClientFactory) -> None:
    client = await client_factory()
    await client.get("/admin/login")
    before = client.token
    await client.login("lan")
    assert client.token and client.token != before, "the pre-login token must not survive"
