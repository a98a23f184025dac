"""Staff see and change only their agency's rounds, whatever URL or id they type."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import rounds
from storage.engine import session_factory
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import ClientFactory, People, actor, audit_actions, signed_in


async def _round(engine: AsyncEngine, round_id: int) -> rounds.RoundView:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return await rounds.get_round(uow, round_id)


async def test_the_list_shows_only_the_staff_members_agency(
    client_factory: ClientFactory,
) -> None:
    lan = await signed_in(client_factory, "lan")
    _, html = await lan.get("/admin/rounds")
    assert "Dự thảo Quyết định thử nghiệm" in html and "Dự thảo của Sở Khác" not in html
    root = await signed_in(client_factory, "root")
    _, html = await root.get("/admin/rounds")
    assert "Dự thảo Quyết định thử nghiệm" in html and "Dự thảo của Sở Khác" in html, \
        "an admin sees every agency"


async def test_reading_another_agencys_round_by_url_is_not_found_and_audited(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    minh = await signed_in(client_factory, "minh")
    for path in ("", "/edit", "/draft"):
        status, html = await minh.get(f"/admin/rounds/{people.round_a}{path}")
        assert status == 404, f"{path or 'page'} of another agency's round was shown"
        assert "Dự thảo Quyết định thử nghiệm" not in html
    denied = await audit_actions(engine, "console.denied")
    minh_actor = await actor(engine, "minh")
    assert len(denied) == 3 and all(e.actor == minh_actor for e in denied)
    assert denied[0].details["path"] == f"/admin/rounds/{people.round_a}"


async def test_changing_another_agencys_round_is_refused_and_changes_nothing(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    minh = await signed_in(client_factory, "minh")
    base = f"/admin/rounds/{people.round_a}"
    attempts = [
        (base + "/edit", {"title": "Bị sửa", "summary": "", "audience": "",
                          "closes_at": "2027-06-01T08:00"}),
        (base + "/close", {"reason": "Phá"}),
        (base + "/announce", {}),
        (base + "/draft", {"draft": "Điều 1. Khác\nNội dung.", "action": "save"}),
    ]
    for path, data in attempts:
        status, _ = await minh.post(path, data)
        assert status == 404, f"POST {path} on another agency's round answered {status}"
    after = await _round(engine, people.round_a)
    assert (after.title, after.status, after.article_count) == (
        "Dự thảo Quyết định thử nghiệm", "open", 3)
    assert len(await audit_actions(engine, "console.denied")) == len(attempts)


async def test_a_forged_agency_id_in_the_create_form_is_refused(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    minh = await signed_in(client_factory, "minh")
    await minh.get("/admin/rounds/new")
    status, _ = await minh.post("/admin/rounds/new", {
        "title": "Lén tạo cho sở khác", "document_type": "legal",
        "agency_id": str(people.agency_a)})
    assert status == 403
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        titles = [r.title for r in await rounds.list_rounds(uow)]
    assert "Lén tạo cho sở khác" not in titles
    assert await audit_actions(engine, "console.denied")


async def test_staff_create_rounds_for_their_own_agency_without_choosing_it(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    minh = await signed_in(client_factory, "minh")
    _, form = await minh.get("/admin/rounds/new")
    assert 'name="agency_id"' not in form, "staff are not offered other agencies"
    status, _ = await minh.post("/admin/rounds/new", {"title": "Dự thảo mới của Sở Khác",
                                                      "document_type": "legal"})
    assert status == 200 and minh.url.endswith("/draft")
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        made = [r for r in await rounds.list_rounds(uow) if r.title == "Dự thảo mới của Sở Khác"]
    assert made and made[0].agency_id == people.agency_b


async def test_a_moderator_may_read_rounds_but_not_change_them(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    status, html = await hoa.get(f"/admin/rounds/{people.round_a}")
    assert status == 200 and "Kết thúc lấy ý kiến" in html
    assert "/close" not in html and "Tạo đợt mới" not in html, "no controls a moderator can't use"
    assert (await hoa.get("/admin/rounds/new"))[0] == 403
    status, _ = await hoa.post(f"/admin/rounds/{people.round_a}/close", {"reason": "Thử"})
    assert status == 403
    assert (await _round(engine, people.round_a)).status == "open"
    assert len(await audit_actions(engine, "console.denied")) == 2


async def test_ids_too_large_for_the_database_are_simply_not_found(
    client_factory: ClientFactory,
) -> None:
    root = await signed_in(client_factory, "root")
    assert (await root.get("/admin/rounds/99999999999999999999"))[0] == 404
    assert (await root.get("/admin/rounds/999999999"))[0] == 404
