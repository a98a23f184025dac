"""Console sign-in with lock-out per login and per address, kept in the database.

A lock-out held in memory would end with a restart and would not hold across
instances; one row per attempt in `login_attempts` does both. Rules:

* a login is locked for LOCK after LOGIN_LIMIT failures within WINDOW (since its
  last success): guessing one person's password is slow;
* an address is locked after ADDRESS_LIMIT failures within WINDOW, whatever the
  logins: spraying many logins from one place is slow too. The limit is higher
  because a whole office often shares one address.

While locked, the password is not even checked, and the refused try is not
counted, so the lock ends LOCK after the failure that set it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select

from consultations import audit, staff
from consultations.console.access import StaffUser, load_user
from storage.models import LoginAttempt
from storage.uow import UnitOfWork

LOGIN_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
KEEP = timedelta(days=1)
MAX_LOGIN_LENGTH = 100


@dataclass(frozen=True)
class SignInResult:
    """Who signed in, or until when the login or address is locked (both None: wrong password)."""

    user: StaffUser | None
    locked_until: datetime | None = None


def normalise_login(login: str) -> str:
    return login.strip().lower()[:MAX_LOGIN_LENGTH]


async def _locked_until(
    uow: UnitOfWork, key: ColumnElement[bool], limit: int, *, reset_on_success: bool
) -> datetime | None:
    """The end of the lock set by the latest `limit` failures matching `key`, if still ahead."""
    now = uow.now()
    since = now - WINDOW - LOCK
    if reset_on_success:
        success = await uow.session.scalar(
            select(func.max(LoginAttempt.at)).where(key, LoginAttempt.succeeded)
        )
        since = max(since, success) if success is not None else since
    failures = list(
        await uow.session.scalars(
            select(LoginAttempt.at)
            .where(key, ~LoginAttempt.succeeded, LoginAttempt.at > since)
            .order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc())
            .limit(limit)
        )
    )
    if len(failures) < limit or failures[0] - failures[-1] > WINDOW:
        return None
    until = failures[0] + LOCK
    return until if until > now else None


async def locked_until(uow: UnitOfWork, login: str, remote_addr: str) -> datetime | None:
    """When the later of the login's and the address's locks ends; None when neither is locked."""
    by_login = await _locked_until(
        uow, LoginAttempt.login == normalise_login(login), LOGIN_LIMIT, reset_on_success=True
    )
    by_address = await _locked_until(
        uow, LoginAttempt.remote_addr == remote_addr, ADDRESS_LIMIT, reset_on_success=False
    )
    ends = [when for when in (by_login, by_address) if when is not None]
    return max(ends) if ends else None


async def _record(uow: UnitOfWork, login: str, remote_addr: str, succeeded: bool) -> None:
    """Keep this attempt; forget attempts older than a day (no lock looks that far back)."""
    now = uow.now()
    await uow.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))
    uow.session.add(
        LoginAttempt(at=now, login=login, remote_addr=remote_addr[:64], succeeded=succeeded)
    )
    await uow.session.flush()


async def sign_in(uow: UnitOfWork, login: str, password: str, remote_addr: str) -> SignInResult:
    """Check a login and password unless locked; every outcome goes to the audit log."""
    login = normalise_login(login)
    locked = await locked_until(uow, login, remote_addr)
    if locked is not None:
        audit.record(uow, "anonymous", "console.login_locked", f"login:{login}",
                     remote_addr=remote_addr)
        return SignInResult(None, locked)
    staff_id = await staff.check_password(uow, login, password)
    user = await load_user(uow, staff_id) if staff_id is not None else None
    await _record(uow, login, remote_addr, succeeded=user is not None)
    if user is not None:
        audit.record(uow, user.actor, "console.login", f"staff:{user.id}",
                     remote_addr=remote_addr, staff_id=user.id)
        return SignInResult(user)
    audit.record(uow, "anonymous", "console.login_failed", f"login:{login}",
                 remote_addr=remote_addr)
    locked = await locked_until(uow, login, remote_addr)
    if locked is not None:
        audit.record(uow, "anonymous", "console.lockout", f"login:{login}",
                     details={"until": locked.isoformat()}, remote_addr=remote_addr)
    return SignInResult(None, locked)
