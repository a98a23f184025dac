"""Inbound event records: the same platform event is handled once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import InboundEvent
from storage.uow import UnitOfWork


def _build_record(dialect: str) -> Insert:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(InboundEvent)
        .values(
            channel=bindparam("channel"),
            event_id=bindparam("event_id"),
            payload=bindparam("payload"),
            received_at=bindparam("now"),
            processed_at=bindparam("processed_at"),
        )
        .on_conflict_do_nothing(index_elements=["channel", "event_id"])
    )


# Built once per dialect: it runs for every event, and a statement built anew costs more
# Python time than SQLite takes to run it.
_RECORD = {dialect: _build_record(dialect) for dialect in ("postgresql", "sqlite")}
# Several events at once: RETURNING tells which were new (SQLAlchemy sends the parameter
# sets as one multi-row INSERT).
_RECORD_MANY = {
    dialect: statement.returning(InboundEvent.event_id) for dialect, statement in _RECORD.items()
}


async def record(
    uow: UnitOfWork, channel: str, event_id: str, payload: dict[str, Any] | None = None
) -> bool:
    """Record the event in this transaction; False when it was seen before.

    One INSERT ... ON CONFLICT DO NOTHING, so two processes racing on a
    redelivered event cannot both win. Without a payload the event is handled in
    this same transaction, so it is recorded as processed at once; with one, it
    waits for `mark_processed` (a webhook that answers before it handles).
    """
    now = uow.now()
    connection = await uow.session.connection()
    result = await connection.execute(
        _RECORD[connection.dialect.name],
        {
            "channel": channel,
            "event_id": event_id[:128],
            "payload": payload,
            "now": now,
            "processed_at": now if payload is None else None,
        },
    )
    return bool(result.rowcount)


async def record_many(uow: UnitOfWork, channel: str, event_ids: Sequence[str]) -> set[str]:
    """`record` (handled in this transaction) for several events; returns the new ones."""
    if not event_ids:
        return set()
    now = uow.now()
    connection = await uow.session.connection()
    result = await connection.execute(
        _RECORD_MANY[connection.dialect.name],
        [
            {"channel": channel, "event_id": event_id[:128], "payload": None,
             "now": now, "processed_at": now}
            for event_id in dict.fromkeys(event_ids)
        ],
    )
    return set(result.scalars().all())


@dataclass(frozen=True)
class RecordedEvent:
    """An event recorded on arrival and not yet handled (a webhook that answers first)."""

    id: int
    event_id: str
    payload: dict[str, Any]


async def unprocessed(uow: UnitOfWork, channel: str, *, limit: int = 100) -> list[RecordedEvent]:
    """The oldest recorded events of a channel still waiting to be handled, in arrival order.

    Records `dispatch` makes for idempotency are processed when written, so only
    events a webhook recorded to handle later are found here.
    """
    rows = await uow.session.scalars(
        select(InboundEvent)
        .where(InboundEvent.channel == channel, InboundEvent.processed_at.is_(None))
        .order_by(InboundEvent.id)
        .limit(limit)
    )
    return [RecordedEvent(row.id, row.event_id, dict(row.payload or {})) for row in rows]


async def mark_processed(uow: UnitOfWork, record_id: int) -> bool:
    """Mark a recorded event handled and drop its payload; False when it already was.

    The payload may hold what a citizen wrote; once handled, what matters is in the
    domain's tables (where "forget me" can reach it), so it is not kept here.
    """
    changed = await uow.session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == record_id, InboundEvent.processed_at.is_(None))
        .values(processed_at=uow.now(), payload=None)
        .returning(InboundEvent.id)
    )
    return changed.first() is not None
