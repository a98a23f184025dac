"""Where each participant is in the conversation, kept in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


async def save(uow: UnitOfWork, participant_id: int, dialog: Dialog) -> None:
    """Store the step; the version counter lets two processes notice a lost update."""
    row = await uow.session.get(DialogState, participant_id)
    if row is None:
        uow.session.add(
            DialogState(
                participant_id=participant_id,
                step=dialog.step,
                data=dialog.data,
                version=1,
                updated_at=uow.now(),
            )
        )
        return
    row.step, row.data = dialog.step, dict(dialog.data)
    row.version += 1
    row.updated_at = uow.now()
