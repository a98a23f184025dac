"""Data-subject requests received outside the chat: recorded with a deadline, acted on, audited."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations.console.dsr import ERASURE_DEADLINE
from storage.clock import FixedClock
from storage.engine import session_factory
from storage.models import Comment, Participant, PrivacyRequest
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import Client, ClientFactory, People, actor, audit_actions, signed_in
from tests.admin.consultation_data import Seeded, seed

RECEIVED = "2026-11-29T08:00"  # Vietnam time; the test clock reads 2026-11-29 09:10 there


@pytest.fixture
async def seeded(uow_factory: UnitOfWorkFactory, clock: FixedClock, people: People) -> Seeded:
    return await seed(uow_factory, clock, people)


async def _record(root: Client, **overrides: str) -> tuple[int, str]:
    await root.get("/admin/work/privacy")
    form = {"channel": "telegram", "channel_user_id": "7000", "kind": "erasure",
            "received_via": "letter", "received_at": RECEIVED, "reference": "123/CV-UBND",
            "note": "Thư tay <b>gửi</b> bộ phận một cửa", **overrides}
    return await root.post("/admin/work/privacy", form)


async def _request(engine: AsyncEngine) -> PrivacyRequest:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        row = await uow.session.scalar(select(PrivacyRequest))
        assert row is not None
        return row


async def test_a_request_is_recorded_with_its_legal_deadline(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    root = await signed_in(client_factory, "root")
    status, html = await _record(root)
    assert status == 200 and "Đã ghi nhận yêu cầu số 1." in html
    assert "Phải xử lý trước 02/12/2026 08:00." in html, "72 hours after it was received"
    assert "Thư tay &lt;b&gt;gửi&lt;/b&gt;" in html and "7000" not in html
    row = await _request(engine)
    assert row.participant_id == seeded.person["an"]
    assert row.due_at - row.received_at == ERASURE_DEADLINE
    entries = await audit_actions(engine, "privacy.request_recorded")
    assert [(e.actor, e.details["kind"]) for e in entries] == [
        (await actor(engine, "root"), "erasure")]


async def test_bad_requests_are_refused_beside_the_field(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    root = await signed_in(client_factory, "root")
    status, html = await _record(root, channel_user_id="9999999")
    assert status == 400 and "Không tìm thấy người dùng với mã này" in html
    assert 'id="err-channel_user_id"' in html
    status, html = await _record(root, received_at="2027-01-01T08:00")
    assert status == 400 and "không thể ở tương lai" in html
    status, html = await _record(root, kind="everything", channel="fax", received_at="hôm qua")
    assert status == 400 and html.count('class="field-error"') == 3
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        assert await uow.session.scalar(select(PrivacyRequest)) is None, "nothing recorded"


async def test_a_copy_is_downloaded_as_json_and_completes_a_copy_request(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    root = await signed_in(client_factory, "root")
    await _record(root, kind="copy")
    await root.get("/admin/work/privacy/1")
    async with root.session.post(f"{root.base}/admin/work/privacy/1/export",
                                 data={"csrf_token": root.token}) as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        data = json.loads(await response.read())
    assert data["request"]["kind"] == "copy"
    assert [c["body"] for c in data["comments"]] == ["Tôi đồng ý với phạm vi điều chỉnh."]
    assert data["participant"]["channel"] == "telegram"
    row = await _request(engine)
    assert (row.result, row.completed_by is not None) == ("exported", True)
    assert len(await audit_actions(engine, "privacy.export")) == 1


async def test_erasure_forgets_the_person_and_keeps_the_comment_anonymously(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    root = await signed_in(client_factory, "root")
    await _record(root)
    await root.get("/admin/work/privacy/1")
    status, html = await root.post("/admin/work/privacy/1/erase")
    assert status == 200 and "Đã xoá dữ liệu cá nhân theo yêu cầu số 1." in html
    assert "Dữ liệu cá nhân đã được xoá" in html and "/erase" not in html
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        person = await uow.session.get(Participant, seeded.person["an"])
        comment = await uow.session.get(Comment, seeded.comment["plain"])
    assert person is not None and person.forgotten_at is not None
    assert person.channel_user_id is None
    assert comment is not None and comment.participant_id is None
    assert (await _request(engine)).result == "erased"
    assert len(await audit_actions(engine, "privacy.erase")) == 1
    status, html = await root.post("/admin/work/privacy/1/erase")
    assert "đã được xoá" in html, "a second erasure is refused politely"


async def test_an_overdue_request_is_marked(
    client_factory: ClientFactory, seeded: Seeded, clock: FixedClock
) -> None:
    root = await signed_in(client_factory, "root")
    await _record(root)
    clock.advance(timedelta(days=3))
    root = await signed_in(client_factory, "root")
    _, html = await root.get("/admin/work/privacy")
    assert re.search(r'<tr class="overdue">\s*<td[^>]*><a href="/admin/work/privacy/1"', html)


async def test_only_admins_handle_data_requests(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    root = await signed_in(client_factory, "root")
    await _record(root)
    lan = await signed_in(client_factory, "lan")
    _, html = await lan.get("/admin/work/comments")
    assert 'href="/admin/work/privacy"' not in html
    for path in ("/admin/work/privacy", "/admin/work/privacy/1"):
        status, _ = await lan.get(path)
        assert status == 403, path
    status, _ = await lan.post("/admin/work/privacy/1/erase")
    assert status == 403
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        person = await uow.session.get(Participant, seeded.person["an"])
    assert person is not None and person.forgotten_at is None, "staff erased someone"
