"""Staff accounts: console logins and the people who answer for an agency."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select

from consultations import audit
from consultations.errors import InvalidInput, NotFound
from consultations.text import normalize_line
from consultations.vocab import StaffRole
from storage.models import Agency, Staff
from storage.uow import UnitOfWork

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


async def create_staff(
    uow: UnitOfWork,
    *,
    login: str,
    display_name: str,
    role: str,
    password: str | None,
    agency_id: int | None,
    actor: str,
) -> int:
    """Create a staff account; agency staff and moderators belong to exactly one agency."""
    login = login.strip().lower()
    if not login or len(login) > 100:
        raise InvalidInput("staff.bad_login")
    if role not in set(StaffRole):
        raise InvalidInput("staff.bad_role")
    if role != StaffRole.ADMIN and agency_id is None:
        raise InvalidInput("staff.agency_required")
    if agency_id is not None and await uow.session.get(Agency, agency_id) is None:
        raise NotFound("agency.not_found")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("staff.weak_password", min=MIN_PASSWORD_LENGTH)
    if await uow.session.scalar(select(Staff.id).where(Staff.login == login)) is not None:
        raise InvalidInput("staff.login_taken")
    row = Staff(
        login=login,
        display_name=normalize_line(display_name) or login,
        role=role,
        agency_id=agency_id,
        password_hash=_hasher.hash(password) if password else None,
        created_at=uow.now(),
    )
    uow.session.add(row)
    await uow.session.flush()
    audit.record(uow, actor, "staff.create", f"staff:{row.id}", details={"role": role})
    return row.id


async def check_password(uow: UnitOfWork, login: str, password: str) -> int | None:
    """The staff id when the password matches an active account, else None."""
    row = await uow.session.scalar(select(Staff).where(Staff.login == login.strip().lower()))
    if row is None or not row.active or row.password_hash is None:
        _hasher.hash(password)  # same cost whether or not the login exists
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return None
    return row.id


async def find_staff_id(uow: UnitOfWork, login: str) -> int | None:
    return await uow.session.scalar(select(Staff.id).where(Staff.login == login.strip().lower()))
