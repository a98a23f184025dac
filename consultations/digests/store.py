"""Stored digests, and the period the next one covers.

A digest covers [end of the last stored digest of its kind, end): a missed run is
caught up by the next one and no period is reported twice. Storing a digest and
queueing its messages happen in one transaction, so "stored" means "will be
delivered" (the outbox retries); the unique (agency, kind, period end) constraint
stops a second process from storing the same period again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consultations.digests.content import DigestContent, Period
from consultations.errors import InvalidInput, NotFound
from storage.models import Agency, Digest
from storage.uow import UnitOfWork

KINDS = ("daily", "weekly")
# The first digest of an agency covers at most this much history.
FIRST_PERIOD_MAX = timedelta(days=366)


@dataclass(frozen=True)
class DigestRecord:
    """A stored digest."""

    id: int
    agency_id: int
    kind: str
    period: Period
    content: DigestContent
    created_at: datetime


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput("digest.bad_kind", kind=kind)
    return kind


async def last_end(uow: UnitOfWork, agency_id: int, kind: str) -> datetime | None:
    """Where the last stored digest of this kind ended, if there is one."""
    end: datetime | None = await uow.session.scalar(
        select(func.max(Digest.period_end)).where(
            Digest.agency_id == agency_id, Digest.kind == kind
        )
    )
    return end


async def next_period(uow: UnitOfWork, agency_id: int, kind: str, end: datetime) -> Period | None:
    """The period a digest ending at `end` covers; None when it would be empty or backwards.

    The first digest starts when the agency was created (at most a year back).
    """
    agency = await uow.session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("agency.not_found")
    start = await last_end(uow, agency_id, check_kind(kind))
    if start is None:
        start = max(agency.created_at, end - FIRST_PERIOD_MAX)
    return Period(start, end) if end > start else None


async def save(uow: UnitOfWork, content: DigestContent) -> DigestRecord | None:
    """Store the digest; None when this period was stored already (by us or another process)."""
    taken = await uow.session.scalar(
        select(Digest.id).where(
            Digest.agency_id == content.agency_id,
            Digest.kind == content.kind,
            Digest.period_end == content.period.end,
        )
    )
    if taken is not None:
        return None
    row = Digest(
        agency_id=content.agency_id,
        kind=content.kind,
        period_start=content.period.start,
        period_end=content.period.end,
        content=content.to_json(),
        created_at=uow.now(),
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:
        return None
    return _record(row)


def _record(row: Digest) -> DigestRecord:
    return DigestRecord(
        id=row.id,
        agency_id=row.agency_id,
        kind=row.kind,
        period=Period(row.period_start, row.period_end),
        content=DigestContent.from_json(row.content),
        created_at=row.created_at,
    )


async def get(uow: UnitOfWork, digest_id: int) -> DigestRecord:
    row = await uow.session.get(Digest, digest_id)
    if row is None:
        raise NotFound("digest.not_found")
    return _record(row)


async def latest(uow: UnitOfWork, agency_id: int, limit: int = 10) -> list[DigestRecord]:
    """The agency's most recent digests of every kind, newest first."""
    rows = await uow.session.scalars(
        select(Digest)
        .where(Digest.agency_id == agency_id)
        .order_by(Digest.period_end.desc(), Digest.id.desc())
        .limit(limit)
    )
    return [_record(row) for row in rows]
