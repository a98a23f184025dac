"""Where an agency's digests go: its linked chats and staff, and its e-mail addresses.

Chats come from staff_links (groups linked with a code, staff who linked their
account); e-mail addresses are agency_channels rows with channel "email", added
by an operator (`consultbot digest email add`).
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select

from consultations import audit, staff_links
from consultations.errors import InvalidInput
from consultations.staff_links import Destination
from storage.models import AgencyChannel
from storage.uow import UnitOfWork

EMAIL = "email"
# Deliberately plain: one @, no spaces, a dot in the domain. The SMTP server has the last word.
_ADDRESS = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")


def normalise_email(address: str) -> str:
    value = address.strip()
    if len(value) > 200 or not _ADDRESS.fullmatch(value):
        raise InvalidInput("digest.bad_email", address=value[:200])
    local, _, domain = value.partition("@")
    return f"{local}@{domain.lower()}"


async def emails(uow: UnitOfWork, agency_id: int) -> list[str]:
    rows = await uow.session.scalars(
        select(AgencyChannel.address)
        .where(AgencyChannel.agency_id == agency_id, AgencyChannel.channel == EMAIL)
        .order_by(AgencyChannel.id)
    )
    return list(rows)


async def digest_destinations(uow: UnitOfWork, agency_id: int) -> list[Destination]:
    """Every chat that hears about the agency's questions, then its e-mail addresses."""
    found = await staff_links.destinations(uow, agency_id)
    found.extend(Destination(EMAIL, address) for address in await emails(uow, agency_id))
    return list(dict.fromkeys(found))


async def add_email(uow: UnitOfWork, agency_id: int, address: str, *, actor: str) -> bool:
    """Send the agency's digests to this address too; False when it already was."""
    value = normalise_email(address)
    if value in await emails(uow, agency_id):
        return False
    uow.session.add(
        AgencyChannel(agency_id=agency_id, channel=EMAIL, address=value, created_at=uow.now())
    )
    audit.record(uow, actor, "digest.email_add", f"agency:{agency_id}", details={"address": value})
    await uow.session.flush()
    return True


async def remove_email(uow: UnitOfWork, agency_id: int, address: str, *, actor: str) -> bool:
    value = normalise_email(address)
    result = await uow.session.execute(
        delete(AgencyChannel).where(
            AgencyChannel.agency_id == agency_id,
            AgencyChannel.channel == EMAIL,
            AgencyChannel.address == value,
        )
    )
    removed = bool(result.rowcount)  # type: ignore[attr-defined]
    if removed:
        audit.record(
            uow, actor, "digest.email_remove", f"agency:{agency_id}", details={"address": value}
        )
    return removed
