"""Announcing an open round to its followers through the outbox, once per person."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import participants, subscriptions
from consultations.vocab import Purpose
from storage.engine import session_factory
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import Client, ClientFactory, People, audit_actions, signed_in


async def _participant(uow_factory: UnitOfWorkFactory, ref: str, *, notify: bool,
                       follows: tuple[str, int], locale: str = "vi") -> int:
    async with uow_factory() as uow:
        person = await participants.grant_consent(uow, "telegram", ref, Purpose.PARTICIPATE)
        if notify:
            await participants.grant_consent(uow, "telegram", ref, Purpose.NOTIFY)
        if locale != "vi":
            await participants.set_locale(uow, person.id, locale)
        await subscriptions.follow(uow, person.id, *follows)
        await uow.commit()
        return person.id


async def _when_queued(client: Client, round_id: int) -> str:
    """The round's page once this instance has finished queuing (it works in the background)."""
    for _ in range(500):
        _, html = await client.get(f"/admin/rounds/{round_id}")
        if "Đang xếp hàng gửi" not in html:
            return html
        await asyncio.sleep(0.02)
    raise AssertionError("the announcement was still being queued after 500 looks")


async def _announcements(engine: AsyncEngine) -> list[OutboxMessage]:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        rows = await uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith("announce:"))
            .order_by(OutboxMessage.recipient))
        return list(rows)


async def test_followers_who_agreed_are_told_once_each_in_their_language(
    client_factory: ClientFactory, people: People, uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    await _participant(uow_factory, "101", notify=True, follows=("all", 0))
    await _participant(uow_factory, "102", notify=True, follows=("agency", people.agency_a),
                       locale="en")
    await _participant(uow_factory, "103", notify=True, follows=("round", people.round_a))
    await _participant(uow_factory, "104", notify=False, follows=("all", 0))
    await _participant(uow_factory, "105", notify=True, follows=("agency", people.agency_b))
    lan = await signed_in(client_factory, "lan")
    _, page = await lan.get(f"/admin/rounds/{people.round_a}")
    assert "3 người theo dõi" in page, "only consenting followers of this round are counted"
    _, html = await lan.post(f"/admin/rounds/{people.round_a}/announce")
    assert "Đang xếp thông báo vào hàng gửi" in html
    html = await _when_queued(lan, people.round_a)
    assert "Chờ gửi" in html, "progress shows the rows by status"
    rows = await _announcements(engine)
    assert [r.recipient for r in rows] == ["101", "102", "103"]
    assert all(r.payload["broadcast"] is True and r.channel == "telegram" for r in rows)
    assert "đang lấy ý kiến về dự thảo" in rows[0].payload["text"]
    assert "is consulting on a draft" in rows[1].payload["text"], "English for English readers"
    assert rows[0].payload["buttons"][0][0]["action"] == f"r:{people.round_a}"
    await lan.post(f"/admin/rounds/{people.round_a}/announce")
    await _when_queued(lan, people.round_a)
    assert len(await _announcements(engine)) == 3, "pressing again queues nobody twice"
    announced = await audit_actions(engine, "round.announce")
    assert len(announced) == 2 and announced[0].remote_addr == "127.0.0.1"
    assert announced[0].staff_id is not None, "the background work is still audited as Lan's"


async def test_a_round_that_is_not_open_cannot_be_announced(
    client_factory: ClientFactory, people: People, uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
) -> None:
    await _participant(uow_factory, "201", notify=True, follows=("all", 0))
    minh = await signed_in(client_factory, "minh")
    await minh.get(f"/admin/rounds/{people.round_b}")
    _, html = await minh.post(f"/admin/rounds/{people.round_b}/announce")
    assert "không ở trạng thái đang lấy ý kiến" in html
    assert await _announcements(engine) == []
