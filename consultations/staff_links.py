"""Linking chat accounts to staff, and group chats to agencies, with one-time codes.

An admin issues a code in the console and hands it over out of band; the staff
member sends `/link CODE` to the bot in a private chat (or someone sends it in
the agency's group). That proves the chat account belongs to the person or the
agency without the bot ever asking for a password, and it keeps platform ids
out of everything but these two tables.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from consultations import audit
from consultations.errors import InvalidInput, InvalidState, NotFound
from storage.models import Agency, AgencyChannel, Staff, StaffLinkCode
from storage.uow import UnitOfWork

# Crockford's base32 without 0 and 1: nothing to confuse (O/0, I/1/L, U/V) when read aloud.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
MAX_TTL_HOURS = 24 * 7
# The chat channels whose ids a staff member can link; both Zalo channels share zalo_id.
STAFF_ID_COLUMNS: dict[str, InstrumentedAttribute[str | None]] = {
    "telegram": Staff.telegram_id,
    "zalo": Staff.zalo_id,
    "zalo_bot": Staff.zalo_id,
}
# Where a staff member's personal notifications go: (outbox channel, id column).
PERSONAL_CHANNELS: tuple[tuple[str, InstrumentedAttribute[str | None]], ...] = (
    ("telegram", Staff.telegram_id),
    ("zalo", Staff.zalo_id),
)
_SEPARATORS = re.compile(r"[\s\-_.]+")


@dataclass(frozen=True)
class StaffView:
    """A linked staff member as the chat layer needs them."""

    id: int
    agency_id: int | None
    role: str
    display_name: str


@dataclass(frozen=True)
class LinkResult:
    """What a redeemed code linked; `linked` is False when it was voided instead."""

    kind: str  # "staff" or "agency"
    staff_id: int | None
    agency_id: int | None
    name: str
    linked: bool = True


@dataclass(frozen=True)
class Destination:
    """One place an agency's notifications go: an outbox channel and its recipient."""

    channel: str
    address: str


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _normalise(code: str) -> str | None:
    """The canonical code typed in any case, with or without separators; None if malformed."""
    plain = _SEPARATORS.sub("", code).upper()
    if len(plain) != CODE_LENGTH or any(ch not in ALPHABET for ch in plain):
        return None
    return plain


def _id_column(channel: str) -> InstrumentedAttribute[str | None]:
    column = STAFF_ID_COLUMNS.get(channel)
    if column is None:
        raise InvalidInput("link.channel_unsupported")
    return column


async def issue_code(
    uow: UnitOfWork,
    *,
    staff_id: int | None = None,
    agency_id: int | None = None,
    actor: str,
    ttl_hours: int = 24,
) -> str:
    """A new code for one staff member or one agency's group chat, shown once.

    Only its hash is stored, so the caller must hand the returned code over now.
    """
    if (staff_id is None) == (agency_id is None):
        raise InvalidInput("link.one_target")
    if not 1 <= ttl_hours <= MAX_TTL_HOURS:
        raise InvalidInput("link.bad_ttl", max=MAX_TTL_HOURS)
    if staff_id is not None:
        staff = await uow.session.get(Staff, staff_id)
        if staff is None or not staff.active:
            raise NotFound("staff.not_found")
    elif await uow.session.get(Agency, agency_id) is None:
        raise NotFound("agency.not_found")
    plain = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = uow.now()
    expires_at = now + timedelta(hours=ttl_hours)
    uow.session.add(
        StaffLinkCode(
            code_hash=_hash(plain),
            staff_id=staff_id,
            agency_id=agency_id,
            issued_by=actor[:100],
            created_at=now,
            expires_at=expires_at,
        )
    )
    target = f"staff:{staff_id}" if staff_id is not None else f"agency:{agency_id}"
    audit.record(uow, actor, "link.issue", target, details={"expires_at": expires_at.isoformat()})
    return f"{plain[:4]}-{plain[4:]}"


async def redeem(
    uow: UnitOfWork, code: str, *, channel: str, sender_ref: str, chat_ref: str, is_group: bool
) -> LinkResult:
    """Use a code once: a staff code links the sender, an agency code links the group.

    Unknown, used and expired codes all give the same `link.invalid`, so guessing
    learns nothing.
    """
    column = _id_column(channel)
    if len(sender_ref) > 64 or len(chat_ref) > 200:  # longer than any platform id we store
        raise InvalidInput("link.channel_unsupported")
    plain = _normalise(code)
    row = None
    if plain is not None:
        row = await uow.session.scalar(
            select(StaffLinkCode).where(StaffLinkCode.code_hash == _hash(plain))
        )
    if row is None or row.used_at is not None or row.expires_at <= uow.now():
        raise InvalidInput("link.invalid")
    if row.staff_id is not None:
        return await _link_staff(uow, row, column, channel, sender_ref, chat_ref, is_group)
    return await _link_group(uow, row, channel, chat_ref, is_group)


async def _link_staff(
    uow: UnitOfWork,
    row: StaffLinkCode,
    column: InstrumentedAttribute[str | None],
    channel: str,
    sender_ref: str,
    chat_ref: str,
    is_group: bool,
) -> LinkResult:
    """Link the sender's account; a code shown in a group is voided, as others saw it."""
    staff = await uow.session.get(Staff, row.staff_id)
    if staff is None or not staff.active:
        raise InvalidInput("link.invalid")
    row.used_at = uow.now()
    target = f"staff:{staff.id}"
    if is_group:
        audit.record(
            uow,
            f"{channel}:{sender_ref}",
            "link.void",
            target,
            details={"channel": channel, "chat": chat_ref, "reason": "sent in a group"},
        )
        return LinkResult("staff", staff.id, staff.agency_id, staff.display_name, linked=False)
    previous = await uow.session.scalar(
        select(Staff).where(column == sender_ref, Staff.id != staff.id)
    )
    if previous is not None:  # one chat account acts for one person: move the link
        setattr(previous, column.key, None)
        await uow.session.flush()
    setattr(staff, column.key, sender_ref)
    details: dict[str, object] = {
        "channel": channel,
        "previous_staff": previous.id if previous else None,
    }
    audit.record(
        uow, f"staff:{staff.id}", "link.redeem", target, details=details, staff_id=staff.id
    )
    return LinkResult("staff", staff.id, staff.agency_id, staff.display_name)


async def _link_group(
    uow: UnitOfWork, row: StaffLinkCode, channel: str, chat_ref: str, is_group: bool
) -> LinkResult:
    """Make the group a destination of the agency's notifications and let it answer."""
    if not is_group:
        raise InvalidInput("link.agency_code_needs_group")
    agency = await uow.session.get(Agency, row.agency_id)
    if agency is None:
        raise InvalidInput("link.invalid")
    current = await agency_for_chat(uow, channel, chat_ref)
    if current is not None and current != agency.id:
        raise InvalidState("link.chat_taken")
    if current is None:
        uow.session.add(
            AgencyChannel(
                agency_id=agency.id, channel=channel, address=chat_ref, created_at=uow.now()
            )
        )
    row.used_at = uow.now()
    audit.record(
        uow,
        f"{channel}:{chat_ref}",
        "link.redeem",
        f"agency:{agency.id}",
        details={"channel": channel, "chat": chat_ref},
    )
    await uow.session.flush()
    return LinkResult("agency", None, agency.id, agency.name)


async def staff_for(uow: UnitOfWork, channel: str, sender_ref: str) -> StaffView | None:
    """The active staff member linked to this chat account, if any."""
    column = STAFF_ID_COLUMNS.get(channel)
    if column is None:
        return None
    row = await uow.session.scalar(select(Staff).where(column == sender_ref, Staff.active))
    if row is None:
        return None
    return StaffView(row.id, row.agency_id, row.role, row.display_name)


async def agency_for_chat(uow: UnitOfWork, channel: str, chat_ref: str) -> int | None:
    """The agency a (group) chat is linked to, if any."""
    found: int | None = await uow.session.scalar(
        select(AgencyChannel.agency_id)
        .where(AgencyChannel.channel == channel, AgencyChannel.address == chat_ref)
        .order_by(AgencyChannel.id)
        .limit(1)
    )
    return found


async def destinations(uow: UnitOfWork, agency_id: int) -> list[Destination]:
    """Every chat that hears about the agency's questions: its groups and its linked staff."""
    rows = await uow.session.execute(
        select(AgencyChannel.channel, AgencyChannel.address)
        .where(
            AgencyChannel.agency_id == agency_id,
            AgencyChannel.channel.in_(STAFF_ID_COLUMNS),
        )
        .order_by(AgencyChannel.id)
    )
    found = [Destination(channel, address) for channel, address in rows]
    for channel, column in PERSONAL_CHANNELS:
        refs = await uow.session.scalars(
            select(column)
            .where(Staff.agency_id == agency_id, Staff.active, column.is_not(None))
            .order_by(Staff.id)
        )
        found.extend(Destination(channel, ref) for ref in refs if ref)
    return list(dict.fromkeys(found))
