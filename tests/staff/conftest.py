"""An agency with an open round, a second agency, their staff, and a staff chat driver."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from consultations import agencies, participants, questions, rounds, staff, staff_links
from handlers.dispatch import Outcome
from handlers.staff import StaffMessage, handle_staff
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory

_event_ids = itertools.count(1000)
GROUP = "-100555"


@dataclass(frozen=True)
class Setup:
    """Ids of what the tests act on."""

    agency_id: int
    round_id: int
    other_agency_id: int
    other_round_id: int
    staff_id: int
    other_staff_id: int
    admin_id: int


@pytest.fixture
async def setup(uow_factory: UnitOfWorkFactory, open_round: int) -> Setup:
    """Staff of the first agency ("Sở Thử nghiệm"), of a second agency, and an admin."""
    async with uow_factory() as uow:
        first = await rounds.get_round(uow, open_round)
        other = await agencies.add_agency(uow, "SO-KHAC", "Sở Khác", name_en="Other Department")
        other_round = await rounds.create_round(
            uow, agency_id=other.id, title="Dự thảo của Sở Khác", document_type="business"
        )
        ids = [
            await staff.create_staff(
                uow,
                login=login,
                display_name=name,
                role=role,
                password=None,
                agency_id=agency,
                actor="test",
            )
            for login, name, role, agency in (
                ("lan", "Nguyễn Thị Lan", "agency_staff", first.agency_id),
                ("minh", "Trần Văn Minh", "agency_staff", other.id),
                ("admin", "Quản trị", "admin", None),
            )
        ]
        await uow.commit()
    return Setup(first.agency_id, open_round, other.id, other_round.id, *ids)


async def link_staff(
    uow_factory: UnitOfWorkFactory, staff_id: int, sender_ref: str, channel: str = "telegram"
) -> None:
    """Link a chat account the way a staff member does: a code, redeemed in a private chat."""
    async with uow_factory() as uow:
        code = await staff_links.issue_code(uow, staff_id=staff_id, actor="admin")
        await staff_links.redeem(
            uow,
            code,
            channel=channel,
            sender_ref=sender_ref,
            chat_ref=sender_ref,
            is_group=False,
        )
        await uow.commit()


async def link_group(uow_factory: UnitOfWorkFactory, agency_id: int, chat_ref: str = GROUP) -> None:
    async with uow_factory() as uow:
        code = await staff_links.issue_code(uow, agency_id=agency_id, actor="admin")
        await staff_links.redeem(
            uow, code, channel="telegram", sender_ref="9001", chat_ref=chat_ref, is_group=True
        )
        await uow.commit()


async def ask(
    uow_factory: UnitOfWorkFactory,
    round_id: int,
    text: str,
    *,
    user: str = "5001",
    channel: str = "telegram",
    locale: str = "vi",
) -> int:
    """A consenting citizen files a question; returns its id."""
    async with uow_factory() as uow:
        person = await participants.grant_consent(uow, channel, user, locale=locale)
        asked = await questions.ask(
            uow, participant_id=person.id, text=text, channel=channel, round_id=round_id
        )
        await uow.commit()
        return asked.id


async def send(
    uow_factory: UnitOfWorkFactory,
    text: str,
    *,
    sender: str,
    chat: str | None = None,
    reply_to: str | None = None,
    event_id: str | None = None,
    locale: str | None = None,
) -> Outcome | None:
    """One staff message through handle_staff, committed as a bridge would."""
    msg = StaffMessage(
        channel="telegram",
        event_id=event_id or f"s{next(_event_ids)}",
        sender_ref=sender,
        chat_ref=chat or sender,
        is_group=chat is not None and chat != sender,
        text=text,
        reply_to_text=reply_to,
        locale_hint=locale,
    )
    async with uow_factory() as uow:
        outcome = await handle_staff(uow, msg)
        await uow.commit()
    return outcome


def said(outcome: Outcome | None) -> str:
    assert outcome is not None, "the message was not taken as staff work"
    return "\n".join(reply.text for reply in outcome.replies)


async def outbox_to(
    uow_factory: UnitOfWorkFactory, recipient: str, channel: str = "telegram"
) -> list[dict[str, Any]]:
    """The payloads queued for one recipient, read through a fresh session, oldest first."""
    async with uow_factory() as uow:
        rows = await uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.channel == channel, OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        )
        return [row.payload | {"dedupe_key": row.dedupe_key} for row in rows]
