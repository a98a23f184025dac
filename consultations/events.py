"""Inbound event records: the same platform event is handled once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import InboundEvent
from storage.uow import UnitOfWork


async def record(
    uow: UnitOfWork, channel: str, event_id: str, payload: dict[str, Any] | None = None
) -> bool:
    """Record the event in this transaction; False when it was seen before.

    One INSERT ... ON CONFLICT DO NOTHING, so two processes racing on a
    redelivered event cannot both win.
    """
    dialect = uow.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(InboundEvent)
        .values(channel=channel, event_id=event_id[:128], payload=payload, received_at=uow.now())
        .on_conflict_do_nothing(index_elements=["channel", "event_id"])
    )
    result = await uow.session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]
