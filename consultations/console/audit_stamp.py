"""Say where a console action came from on every audit entry it writes.

Domain services record audit entries with an actor but know nothing of the
request. The console attaches this to its unit of work so each new entry also
carries the staff id and the address the request came from, without every
service growing two more parameters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from storage.models import AuditEntry
from storage.uow import UnitOfWork


def attach(uow: UnitOfWork, *, staff_id: int | None, remote_addr: str | None) -> None:
    """Fill staff id and address on audit entries this unit of work adds, where they are empty."""

    def stamp(session: Session, _context: Any, _instances: Any) -> None:
        for item in session.new:
            if isinstance(item, AuditEntry):
                if item.remote_addr is None:
                    item.remote_addr = remote_addr[:64] if remote_addr else None
                if item.staff_id is None:
                    item.staff_id = staff_id

    event.listen(uow.session.sync_session, "before_flush", stamp)
