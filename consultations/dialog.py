"""Where each participant is in the conversation, kept in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Insert, bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import DialogState
from storage.uow import UnitOfWork


@dataclass
class Dialog:
    """The current step and its working data (e.g. the comment being written)."""

    step: str = "menu"
    data: dict[str, Any] = field(default_factory=dict)


async def load(uow: UnitOfWork, participant_id: int) -> Dialog:
    row = await uow.session.get(DialogState, participant_id)
    if row is None:
        return Dialog()
    return Dialog(step=row.step, data=dict(row.data))


def _build_save(dialect: str) -> Insert:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(DialogState).values(
        participant_id=bindparam("participant_id"),
        step=bindparam("step"),
        data=bindparam("data"),
        version=1,
        updated_at=bindparam("updated_at"),
    )
    return statement.on_conflict_do_update(
        index_elements=["participant_id"],
        set_={
            "step": statement.excluded.step,
            "data": statement.excluded.data,
            "version": DialogState.version + 1,
            "updated_at": statement.excluded.updated_at,
        },
    )


# Saved after every event: one statement, built once per dialect.
_SAVE = {dialect: _build_save(dialect) for dialect in ("postgresql", "sqlite")}


async def save(uow: UnitOfWork, participant_id: int, dialog: Dialog) -> None:
    """Store the step; the version counter lets two processes notice a lost update."""
    connection = await uow.session.connection()
    await connection.execute(
        _SAVE[connection.dialect.name],
        {
            "participant_id": participant_id,
            "step": dialog.step,
            "data": dict(dialog.data),
            "updated_at": uow.now(),
        },
    )


async def save_many(uow: UnitOfWork, dialogs: Sequence[tuple[int, Dialog]]) -> None:
    """`save` for several participants (each at most once) in one round trip."""
    if not dialogs:
        return
    connection = await uow.session.connection()
    now = uow.now()
    await connection.execute(
        _SAVE[connection.dialect.name],
        [
            {"participant_id": participant_id, "step": dialog.step,
             "data": dict(dialog.data), "updated_at": now}
            for participant_id, dialog in dialogs
        ],
    )
