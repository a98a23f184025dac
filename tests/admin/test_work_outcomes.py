"""Outcomes per comment and per near-duplicate group, and bulk moderation of a group."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import rounds
from consultations.console import duplicates
from storage.clock import FixedClock
from storage.engine import session_factory
from storage.models import Comment
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import ClientFactory, People, audit_actions, signed_in
from tests.admin.consultation_data import Seeded, seed


@pytest.fixture
async def seeded(uow_factory: UnitOfWorkFactory, clock: FixedClock, people: People) -> Seeded:
    return await seed(uow_factory, clock, people)


async def _rows(engine: AsyncEngine, ids: list[int]) -> list[Comment]:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return list(await uow.session.scalars(
            select(Comment).where(Comment.id.in_(ids)).order_by(Comment.id)))


def _petitions(seeded: Seeded) -> list[int]:
    return [seeded.comment[f"petition{i}"] for i in range(3)]


async def test_staff_record_an_outcome_and_a_reason_for_one_comment(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    target = seeded.comment["business"]
    await lan.get(f"/admin/work/comments/{target}")
    status, html = await lan.post(f"/admin/work/comments/{target}/outcome",
                                  {"outcome": "explained", "note": ""})
    assert status == 400 and "Vui lòng ghi lý do khi tiếp thu một phần" in html
    assert (await _rows(engine, [target]))[0].outcome is None, "refused, nothing saved"
    status, html = await lan.post(f"/admin/work/comments/{target}/outcome",
                                  {"outcome": "explained", "note": "Đã có trong <Luật HTX>."})
    assert status == 200 and f"Đã lưu kết quả xử lý góp ý số {target}." in html
    row = (await _rows(engine, [target]))[0]
    assert (row.outcome, row.outcome_note) == ("explained", "Đã có trong <Luật HTX>.")
    assert "Đã có trong &lt;Luật HTX&gt;." in html
    assert [e.target for e in await audit_actions(engine, "comment.outcome")] == [
        f"comment:{target}"]
    status, _ = await lan.post(f"/admin/work/comments/{target}/outcome", {"outcome": "maybe"})
    assert status == 400, "an outcome outside the list is refused"


async def test_the_petition_copies_form_one_group(
    client_factory: ClientFactory, people: People, seeded: Seeded,
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        groups = await duplicates.duplicate_groups(uow, people.round_a)
    assert [g.members for g in groups] == [tuple(_petitions(seeded))]
    lan = await signed_in(client_factory, "lan")
    _, html = await lan.get(f"/admin/work/comments/rounds/{people.round_a}/groups")
    assert f"/groups/{seeded.comment['petition0']}" in html
    _, html = await lan.get(
        f"/admin/work/comments/rounds/{people.round_a}/groups/{seeded.comment['petition0']}")
    assert html.count('name="ids"') == 6, "both bulk forms carry the three comments"


async def test_one_outcome_for_a_whole_group(
    client_factory: ClientFactory, people: People, seeded: Seeded, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    group = (f"/admin/work/comments/rounds/{people.round_a}/groups/"
             f"{seeded.comment['petition0']}")
    await lan.get(group)
    ids = [str(i) for i in _petitions(seeded)]
    status, html = await lan.post(group + "/outcome", {"ids": ids, "outcome": "partly_accepted"})
    assert status == 400 and "Vui lòng ghi lý do" in html
    reason = "Giữ mức phí năm 2025 đến hết quý."
    status, html = await lan.post(group + "/outcome",
                                  {"ids": ids, "outcome": "partly_accepted", "note": reason})
    assert status == 200 and "Đã lưu kết quả cho 3 góp ý." in html
    assert {(r.outcome, r.outcome_note) for r in await _rows(engine, _petitions(seeded))} == {
        ("partly_accepted", reason)}
    assert len(await audit_actions(engine, "comment.outcome")) == 3


async def test_a_group_is_hidden_at_once_with_one_reason(
    client_factory: ClientFactory, people: People, seeded: Seeded, engine: AsyncEngine
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    group = (f"/admin/work/comments/rounds/{people.round_a}/groups/"
             f"{seeded.comment['petition0']}")
    _, html = await hoa.get(group)
    assert "/outcome" not in html, "a moderator gets no outcome form"
    ids = [str(i) for i in _petitions(seeded)]
    status, html = await hoa.post(group + "/moderate",
                                  {"ids": ids, "action": "hide", "reason": "Chiến dịch spam"})
    assert status == 200 and "Đã ẩn 3 góp ý." in html
    assert {(r.moderation, r.moderation_note) for r in await _rows(engine, _petitions(seeded))} \
        == {("hidden", "Chiến dịch spam")}


async def test_an_id_from_another_agency_smuggled_into_a_group_form_changes_nothing(
    client_factory: ClientFactory, people: People, seeded: Seeded, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    group = (f"/admin/work/comments/rounds/{people.round_a}/groups/"
             f"{seeded.comment['petition0']}")
    await lan.get(group)
    ids = [str(i) for i in [*_petitions(seeded), seeded.comment["other"]]]
    status, _ = await lan.post(group + "/moderate", {"ids": ids, "action": "hide", "reason": "x"})
    assert status == 404
    status, _ = await lan.post(group + "/outcome", {"ids": ids, "outcome": "accepted"})
    assert status == 404
    status, _ = await lan.post(group + "/outcome", {"ids": ["abc"], "outcome": "accepted"})
    assert status == 400
    rows = await _rows(engine, [*_petitions(seeded), seeded.comment["other"]])
    assert {(r.moderation, r.outcome) for r in rows} == {("visible", None)}
    assert len(await audit_actions(engine, "console.denied")) == 2


async def test_outcomes_are_frozen_once_the_round_is_reported(
    client_factory: ClientFactory, people: People, seeded: Seeded,
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine,
) -> None:
    async with uow_factory() as uow:
        await rounds.close(uow, people.round_a, actor="test", override_reason="đủ")
        await rounds.mark_reported(uow, people.round_a, actor="test")
        await uow.commit()
    lan = await signed_in(client_factory, "lan")
    target = seeded.comment["plain"]
    _, html = await lan.get(f"/admin/work/comments/{target}")
    assert "không thể thay đổi nữa" in html
    status, html = await lan.post(f"/admin/work/comments/{target}/outcome",
                                  {"outcome": "accepted"})
    assert status == 400 and "không thể sửa kết quả" in html
    status, _ = await lan.post(f"/admin/work/comments/{target}/moderate", {"action": "abusive"})
    assert status == 400
    assert {(r.moderation, r.outcome) for r in await _rows(engine, [target])} == {
        ("visible", None)}
