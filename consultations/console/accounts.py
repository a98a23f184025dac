"""Console accounts from the operator's side: set a password, lift a lock-out."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import delete, select

from consultations import audit
from consultations.console.signin import normalise_login
from consultations.errors import InvalidInput, NotFound
from consultations.staff import MIN_PASSWORD_LENGTH
from storage.models import LoginAttempt, Staff
from storage.uow import UnitOfWork

_hasher = PasswordHasher()


async def set_password(uow: UnitOfWork, login: str, password: str, *, actor: str) -> int:
    """Give a staff member a console password (staff added for chat work have none)."""
    row = await uow.session.scalar(select(Staff).where(Staff.login == normalise_login(login)))
    if row is None:
        raise NotFound("staff.not_found")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("staff.weak_password", min=MIN_PASSWORD_LENGTH)
    row.password_hash = _hasher.hash(password)
    audit.record(uow, actor, "staff.password", f"staff:{row.id}")
    return row.id


async def unlock(uow: UnitOfWork, login: str, *, actor: str) -> int:
    """Forget a login's failed attempts, ending its lock-out; returns how many were forgotten."""
    login = normalise_login(login)
    result = await uow.session.execute(
        delete(LoginAttempt).where(LoginAttempt.login == login, ~LoginAttempt.succeeded)
    )
    forgotten = int(result.rowcount or 0)  # type: ignore[attr-defined]
    audit.record(uow, actor, "console.unlock", f"login:{login}", details={"forgotten": forgotten})
    return forgotten
