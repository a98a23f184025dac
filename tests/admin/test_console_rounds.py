"""Creating and editing rounds over HTTP: validation, time zones, lifecycle steps."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from consultations.console import rounds as console_rounds
from storage.engine import session_factory
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import Client, ClientFactory, People, audit_actions, signed_in


async def _detail(engine: AsyncEngine, round_id: int) -> console_rounds.RoundDetail:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return await console_rounds.round_detail(uow, round_id)


def _new_id(client: Client) -> int:
    found = re.search(r"/admin/rounds/(\d+)/draft$", client.url)
    assert found, f"creating did not lead to the draft page: {client.url}"
    return int(found.group(1))


async def test_times_typed_in_vietnam_are_stored_in_utc(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    root = await signed_in(client_factory, "root")
    await root.get("/admin/rounds/new")
    status, html = await root.post("/admin/rounds/new", {
        "title": "Dự thảo Nghị quyết phí chợ", "summary": "Mức thu phí\r\nmới.",
        "audience": "Tiểu thương", "agency_id": str(people.agency_b),
        "document_type": "legal", "opens_at": "2026-12-01T08:00",
        "closes_at": "2026-12-21T17:00"})
    assert status == 200 and "Đã tạo đợt lấy ý kiến" in html
    made = await _detail(engine, _new_id(root))
    assert made.opens_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC), "08:00 in Hà Nội is 01:00 UTC"
    assert made.closes_at == datetime(2026, 12, 21, 10, 0, tzinfo=UTC)
    assert (made.agency_id, made.summary, made.audience) == (people.agency_b, "Mức thu phí\nmới.",
                                                              "Tiểu thương")
    _, page = await root.get(f"/admin/rounds/{made.id}")
    assert "01/12/2026 08:00" in page and "21/12/2026 17:00" in page, "shown back in Vietnam time"


async def test_every_bad_field_gets_its_own_vietnamese_message(
    client_factory: ClientFactory, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    await lan.get("/admin/rounds/new")
    status, html = await lan.post("/admin/rounds/new", {
        "title": "  ", "document_type": "nonsense", "opens_at": "ngày mai",
        "closes_at": "2026-13-45T25:00", "audience": "x" * 301})
    assert status == 400
    for message in ("Vui lòng điền mục này.", "Vui lòng chọn một mục trong danh sách.",
                    "Thời gian không hợp lệ", "Quá dài: tối đa 300 ký tự"):
        assert message in html, f"missing message {message!r}"
    assert 'value="ngày mai"' in html, "what was typed is kept for correcting"
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        assert len(await console_rounds.list_rounds(uow, agency_id=None)) == 2, "nothing created"


async def test_the_minimum_period_of_the_document_type_is_enforced(
    client_factory: ClientFactory,
) -> None:
    lan = await signed_in(client_factory, "lan")
    await lan.get("/admin/rounds/new")
    status, html = await lan.post("/admin/rounds/new", {
        "title": "Dự thảo ngắn hạn", "document_type": "business",
        "opens_at": "2026-12-01T08:00", "closes_at": "2026-12-20T08:00"})
    assert status == 400 and "ít nhất 60 ngày" in html
    status, html = await lan.post("/admin/rounds/new", {
        "title": "Dự thảo ngược", "document_type": "legal",
        "opens_at": "2026-12-20T08:00", "closes_at": "2026-12-01T08:00"})
    assert status == 400 and "Thời điểm kết thúc phải sau thời điểm bắt đầu." in html


async def test_editing_an_open_round_may_extend_it_but_not_move_its_start(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    _, form = await lan.get(f"/admin/rounds/{people.round_a}/edit")
    assert 'name="opens_at"' not in form and "không đổi được cơ quan" in form
    status, html = await lan.post(f"/admin/rounds/{people.round_a}/edit", {
        "title": "Dự thảo Quyết định thử nghiệm (sửa đổi)", "summary": "Tóm tắt mới.",
        "audience": "", "closes_at": "2027-02-28T17:00", "opens_at": "2020-01-01T00:00"})
    assert status == 200 and "Đã lưu thay đổi." in html
    after = await _detail(engine, people.round_a)
    assert after.title.endswith("(sửa đổi)")
    assert after.closes_at == datetime(2027, 2, 28, 10, 0, tzinfo=UTC)
    assert after.opens_at == datetime(2026, 11, 27, 2, 0, tzinfo=UTC), "the start did not move"
    edits = await audit_actions(engine, "round.edit")
    assert edits[-1].details["changed"] == ["closes_at", "summary", "title"]


async def test_an_open_round_cannot_be_shortened_below_its_minimum(
    client_factory: ClientFactory, people: People,
) -> None:
    lan = await signed_in(client_factory, "lan")
    await lan.get(f"/admin/rounds/{people.round_a}/edit")
    status, html = await lan.post(f"/admin/rounds/{people.round_a}/edit", {
        "title": "Dự thảo Quyết định thử nghiệm", "closes_at": "2026-12-10T17:00"})
    assert status == 400 and "ít nhất 60 ngày" in html


async def test_closing_early_needs_a_reason_which_the_audit_log_keeps(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    _, page = await lan.get(f"/admin/rounds/{people.round_a}")
    assert "Kết thúc sớm cần nêu lý do" in page
    _status, html = await lan.post(f"/admin/rounds/{people.round_a}/close", {"reason": " "})
    assert "Kết thúc trước thời hạn cần nêu lý do." in html
    assert (await _detail(engine, people.round_a)).status == "open"
    _, html = await lan.post(f"/admin/rounds/{people.round_a}/close",
                             {"reason": "Chính phủ ban hành quy định mới thay thế."})
    assert "Đã kết thúc đợt lấy ý kiến." in html
    assert (await _detail(engine, people.round_a)).status == "closed"
    closed = (await audit_actions(engine, "round.close"))[-1]
    assert closed.details == {"early": True,
                              "reason": "Chính phủ ban hành quy định mới thay thế."}
    assert closed.actor.startswith("staff:") and closed.remote_addr == "127.0.0.1"
    assert closed.staff_id is not None, "the audit entry names the staff member"


async def test_a_draft_round_is_imported_from_pasted_text_then_scheduled(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    minh = await signed_in(client_factory, "minh")
    await minh.get(f"/admin/rounds/{people.round_b}/edit")
    await minh.post(f"/admin/rounds/{people.round_b}/edit", {
        "title": "Dự thảo của Sở Khác", "document_type": "legal",
        "opens_at": "2026-12-01T08:00", "closes_at": "2026-12-31T17:00"})
    _, html = await minh.post(f"/admin/rounds/{people.round_b}/schedule")
    assert "Đã lên lịch" in html
    assert (await _detail(engine, people.round_b)).status == "scheduled"


async def test_opening_now_publishes_a_round_with_its_draft(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    minh = await signed_in(client_factory, "minh")
    await minh.get(f"/admin/rounds/{people.round_b}")
    _, html = await minh.post(f"/admin/rounds/{people.round_b}/open")
    assert "Đợt lấy ý kiến đã mở" in html
    opened = await _detail(engine, people.round_b)
    assert opened.status == "open" and opened.article_count == 3
    assert opened.opens_at is not None and opened.closes_at is not None
    assert (opened.closes_at - opened.opens_at).days == 20, "the legal minimum by default"


async def test_a_refused_step_is_explained_and_changes_nothing(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    await lan.get(f"/admin/rounds/{people.round_a}")
    _, html = await lan.post(f"/admin/rounds/{people.round_a}/open")
    assert "Không mở được đợt đang ở trạng thái này." in html and 'role="alert"' in html

