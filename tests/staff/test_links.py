"""Linking a chat account to a staff member, or a group to an agency, with a one-time code."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consultations import staff_links
from consultations.errors import InvalidInput
from storage.clock import FixedClock
from storage.models import AgencyChannel, AuditEntry, Staff, StaffLinkCode
from storage.uow import UnitOfWorkFactory
from tests.staff.conftest import GROUP, Setup, outbox_to, said, send

CODE_SHAPE = re.compile(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}")


async def _issue(uow_factory: UnitOfWorkFactory, **target: int) -> str:
    async with uow_factory() as uow:
        code = await staff_links.issue_code(uow, actor="admin:root", **target)
        await uow.commit()
    return code


async def _staff(uow_factory: UnitOfWorkFactory, staff_id: int) -> Staff:
    async with uow_factory() as uow:
        row = await uow.session.get(Staff, staff_id)
        assert row is not None
        return row


async def test_code_is_short_unambiguous_and_stored_only_as_a_hash(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    code = await _issue(uow_factory, staff_id=setup.staff_id)
    assert CODE_SHAPE.fullmatch(code), f"{code!r} is not XXXX-XXXX from the unambiguous alphabet"
    async with uow_factory() as uow:
        row = (await uow.session.scalars(select(StaffLinkCode))).one()
        audit = (
            await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "link.issue"))
        ).one()
    assert row.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert code.replace("-", "") not in repr(vars(row)), "the plain code must not be stored"
    assert (row.staff_id, row.agency_id, row.used_at) == (setup.staff_id, None, None)
    assert row.expires_at - row.created_at == timedelta(hours=24)
    assert audit.target == f"staff:{setup.staff_id}" and audit.actor == "admin:root"


async def test_a_code_targets_exactly_one_staff_member_or_agency(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    async with uow_factory() as uow:
        for target in ({}, {"staff_id": setup.staff_id, "agency_id": setup.agency_id}):
            with pytest.raises(InvalidInput) as error:
                await staff_links.issue_code(uow, actor="admin", **target)
            assert error.value.key == "link.one_target"


async def test_staff_links_a_private_chat_once_and_the_code_is_then_spent(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    code = await _issue(uow_factory, staff_id=setup.staff_id)

    linked = await send(uow_factory, f"/link@consult_bot {code}", sender="7001", event_id="L1")
    again = await send(uow_factory, f"/link {code}", sender="7002")

    assert "Đã liên kết tài khoản này với cán bộ Nguyễn Thị Lan" in said(linked)
    assert "không đúng hoặc đã hết hiệu lực" in said(again), "a code must work only once"
    assert (await _staff(uow_factory, setup.staff_id)).telegram_id == "7001"
    async with uow_factory() as uow:
        found = await staff_links.staff_for(uow, "telegram", "7001")
        nobody = await staff_links.staff_for(uow, "telegram", "7002")
        audit = (
            await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "link.redeem"))
        ).one()
    assert found == staff_links.StaffView(
        setup.staff_id, setup.agency_id, "agency_staff", "Nguyễn Thị Lan"
    )
    assert nobody is None
    assert audit.staff_id == setup.staff_id
    replies = await outbox_to(uow_factory, "7001")
    assert [r["dedupe_key"] for r in replies] == ["reply:telegram:L1:0"], "replies go via outbox"


async def test_codes_are_case_insensitive_and_forgive_separators(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    code = await _issue(uow_factory, staff_id=setup.staff_id)
    typed = code.replace("-", " ").lower()

    outcome = await send(uow_factory, f"/lienket {typed}", sender="7001")

    assert "Đã liên kết" in said(outcome)


async def test_an_expired_code_links_nobody(
    uow_factory: UnitOfWorkFactory, setup: Setup, clock: FixedClock
) -> None:
    code = await _issue(uow_factory, staff_id=setup.staff_id)
    clock.advance(timedelta(hours=24, seconds=1))

    outcome = await send(uow_factory, f"/link {code}", sender="7001")

    assert "không đúng hoặc đã hết hiệu lực" in said(outcome)
    assert (await _staff(uow_factory, setup.staff_id)).telegram_id is None


async def test_a_wrong_code_gets_the_same_answer_as_a_spent_one(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await _issue(uow_factory, staff_id=setup.staff_id)
    async with uow_factory() as uow:
        for wrong in ("AAAA-BBBB", "0000-0000", "short", ""):
            with pytest.raises(InvalidInput) as error:
                await staff_links.redeem(
                    uow,
                    wrong,
                    channel="telegram",
                    sender_ref="7001",
                    chat_ref="7001",
                    is_group=False,
                )
            assert error.value.key == "link.invalid"
    usage = await send(uow_factory, "/link", sender="7001")
    assert "Cách dùng: /link" in said(usage)


async def test_a_zalo_account_is_linked_as_zalo_id(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    code = await _issue(uow_factory, staff_id=setup.staff_id)
    async with uow_factory() as uow:
        await staff_links.redeem(
            uow, code, channel="zalo", sender_ref="z-42", chat_ref="z-42", is_group=False
        )
        await uow.commit()
    row = await _staff(uow_factory, setup.staff_id)
    assert (row.zalo_id, row.telegram_id) == ("z-42", None)


async def test_an_agency_code_links_a_group_but_not_a_private_chat(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    code = await _issue(uow_factory, agency_id=setup.agency_id)

    private = await send(uow_factory, f"/link {code}", sender="7001")
    group = await send(uow_factory, f"/link@consult_bot {code}", sender="7001", chat=GROUP)

    assert "mã liên kết nhóm" in said(private), "the private try must not spend the code"
    assert "Nhóm này đã được liên kết với Sở Thử nghiệm tỉnh Minh Sơn" in said(group)
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(select(AgencyChannel)))
        assert await staff_links.agency_for_chat(uow, "telegram", GROUP) == setup.agency_id
        assert await staff_links.agency_for_chat(uow, "telegram", "7001") is None
    assert [(r.agency_id, r.channel, r.address) for r in rows] == [
        (setup.agency_id, "telegram", GROUP)
    ]
    assert len(await outbox_to(uow_factory, GROUP)) == 1, "the group is told, in the group"


async def test_a_group_linked_to_one_agency_is_not_taken_by_another(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    first = await _issue(uow_factory, agency_id=setup.agency_id)
    second = await _issue(uow_factory, agency_id=setup.other_agency_id)
    await send(uow_factory, f"/link {first}", sender="7001", chat=GROUP)

    outcome = await send(uow_factory, f"/link {second}", sender="7001", chat=GROUP)

    assert "đã được liên kết với một cơ quan khác" in said(outcome)
    async with uow_factory() as uow:
        assert await staff_links.agency_for_chat(uow, "telegram", GROUP) == setup.agency_id


async def test_a_personal_code_shown_in_a_group_is_voided(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    code = await _issue(uow_factory, staff_id=setup.staff_id)

    in_group = await send(uow_factory, f"/link {code}", sender="7001", chat=GROUP)
    later = await send(uow_factory, f"/link {code}", sender="7003")

    assert "đã bị huỷ" in said(in_group)
    assert "không đúng hoặc đã hết hiệu lực" in said(later), "group members saw the code"
    row = await _staff(uow_factory, setup.staff_id)
    assert row.telegram_id is None
    async with uow_factory() as uow:
        assert await staff_links.agency_for_chat(uow, "telegram", GROUP) is None


async def test_linking_a_second_account_moves_the_chat_account_to_it(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    first = await _issue(uow_factory, staff_id=setup.staff_id)
    await send(uow_factory, f"/link {first}", sender="7001")
    second = await _issue(uow_factory, staff_id=setup.admin_id)

    await send(uow_factory, f"/link {second}", sender="7001")

    assert (await _staff(uow_factory, setup.staff_id)).telegram_id is None
    assert (await _staff(uow_factory, setup.admin_id)).telegram_id == "7001"
