"""The audit log: who did what, when and from where."""

from __future__ import annotations

from typing import Any

from storage.models import AuditEntry
from storage.uow import UnitOfWork


def record(
    uow: UnitOfWork,
    actor: str,
    action: str,
    target: str = "",
    *,
    details: dict[str, Any] | None = None,
    remote_addr: str | None = None,
    staff_id: int | None = None,
) -> None:
    """Add an audit entry to the current unit of work (committed with the action itself)."""
    uow.session.add(
        AuditEntry(
            at=uow.now(),
            actor=actor,
            action=action,
            target=target,
            details=details or {},
            remote_addr=remote_addr,
            staff_id=staff_id,
        )
    )
