"""When each agency wants its digests: its two cron expressions and the empty-period rule.

Cron expressions are kept as the operator typed them (five fields, Asia/Ho_Chi_Minh);
the scheduler in bot/ turns them into triggers and is the one to reject what it
cannot read, so only their shape is checked here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from consultations import audit
from consultations.errors import InvalidInput, NotFound
from storage.models import Agency
from storage.uow import UnitOfWork

CRON_FIELDS = 5


@dataclass(frozen=True)
class AgencySchedule:
    """An agency's digest settings."""

    agency_id: int
    code: str
    daily_cron: str
    weekly_cron: str | None
    send_empty: bool

    def cron(self, kind: str) -> str | None:
        return self.daily_cron if kind == "daily" else self.weekly_cron


def check_cron(expression: str) -> str:
    value = " ".join(expression.split())
    if len(value.split(" ")) != CRON_FIELDS or len(value) > 100:
        raise InvalidInput("digest.bad_cron", cron=expression[:100])
    return value


def _view(row: Agency) -> AgencySchedule:
    return AgencySchedule(
        row.id, row.code, row.digest_cron, row.weekly_digest_cron, row.send_empty_digest
    )


async def schedules(uow: UnitOfWork) -> list[AgencySchedule]:
    """Every agency's digest settings, in code order."""
    rows = await uow.session.scalars(select(Agency).order_by(Agency.code))
    return [_view(row) for row in rows]


async def schedule_of(uow: UnitOfWork, agency_id: int) -> AgencySchedule:
    row = await uow.session.get(Agency, agency_id)
    if row is None:
        raise NotFound("agency.not_found")
    return _view(row)


async def set_schedule(
    uow: UnitOfWork,
    agency_id: int,
    *,
    daily_cron: str | None = None,
    weekly_cron: str | None = None,
    no_weekly: bool = False,
    send_empty: bool | None = None,
    actor: str,
) -> AgencySchedule:
    """Change what is given; the change is audited and the scheduler picks it up on its own."""
    row = await uow.session.get(Agency, agency_id)
    if row is None:
        raise NotFound("agency.not_found")
    if daily_cron is not None:
        row.digest_cron = check_cron(daily_cron)
    if no_weekly:
        row.weekly_digest_cron = None
    elif weekly_cron is not None:
        row.weekly_digest_cron = check_cron(weekly_cron)
    if send_empty is not None:
        row.send_empty_digest = send_empty
    view = _view(row)
    details = {"daily": view.daily_cron, "weekly": view.weekly_cron, "empty": view.send_empty}
    audit.record(uow, actor, "digest.schedule", f"agency:{agency_id}", details=details)
    return view
