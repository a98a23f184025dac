"""The digest jobs: each agency's digest at its own cron times, and a catch-up sweep.

A digest's period ends at the cron time that is due (the latest one not after now),
not at the moment the job happens to run: two instances, or a job and the catch-up
sweep, computing the same digest reach the same period end, and the unique
constraint on (agency, kind, period end) lets only one of them store it. On
PostgreSQL a digest is also built under a transaction lock per agency and kind, so
a second builder waits for the first to commit and then starts where it ended: two
digests can never cover overlapping periods, whichever instances (a former and a new
scheduler leader, or an operator's `digest send`) build them. A run missed while the
service was down is caught up by the sweep with one digest covering everything since
the last one.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import IntegrityError

from bot.jobs.base import JobDeps
from consultations.digests import build, destinations, schedule, store
from consultations.digests.schedule import AgencySchedule
from handlers import digest_delivery
from storage import advisory

log = logging.getLogger(__name__)
LOOKBACK = timedelta(days=35)  # how far back a due cron time is looked for
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Sent:
    """What one digest run did."""

    agency_code: str
    kind: str
    digest_id: int | None
    messages: int
    note: str

    def __str__(self) -> str:
        if self.digest_id is None:
            return f"{self.agency_code} {self.kind}: {self.note}"
        return f"{self.agency_code} {self.kind}: digest {self.digest_id}, {self.messages} messages"


def _day(token: str) -> int:
    return int(token) if token.isdigit() else _DAYS.index(token[:3].lower())


def _day_numbers(field: str) -> list[int]:
    """The crontab day-of-week numbers (0 and 7 are Sunday) a field such as "1-5" stands for."""
    days: set[int] = set()
    for item in field.split(","):
        part, _, step = item.partition("/")
        if part == "*":
            low, high = 0, 6
        elif "-" in part:
            first, last = part.split("-", 1)
            low, high = _day(first), _day(last)
        else:
            low = _day(part)
            high = 6 if step else low
        days.update(range(low, high + 1, int(step or 1)))
    return sorted({day % 7 for day in days})


def crontab_trigger(expression: str, tz: ZoneInfo) -> CronTrigger:
    """A trigger for a five-field crontab line with the usual meaning of day-of-week numbers.

    APScheduler 3 reads day-of-week numbers from Monday=0, unlike cron (Sunday=0), so
    the field is turned into a list of day names here ("1-5" -> "mon,tue,wed,thu,fri").
    """
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"a crontab line has five fields: {expression!r}")
    minute, hour, day, month, weekday = fields
    if weekday != "*":
        weekday = ",".join(_DAYS[d] for d in _day_numbers(weekday))
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=tz
    )


def latest_fire(trigger: CronTrigger, after: datetime, now: datetime) -> datetime | None:
    """The last time in (after, now] the trigger fires (in UTC), if any."""
    moment: datetime | None = trigger.get_next_fire_time(None, max(after, now - LOOKBACK) + _TICK)
    if moment is None or moment > now:
        return None
    while True:
        following: datetime | None = trigger.get_next_fire_time(moment, moment + _TICK)
        if following is None or following > now:
            return moment.astimezone(UTC)
        moment = following


def due_end(
    sched: AgencySchedule, kind: str, last: datetime, now: datetime, tz: ZoneInfo
) -> datetime | None:
    """The end of the digest of this kind due now, if one is."""
    expression = sched.cron(kind)
    if not expression:
        return None
    try:
        trigger = crontab_trigger(expression, tz)
    except ValueError:
        log.warning("agency %s: cannot read its %s digest schedule", sched.code, kind)
        return None
    return latest_fire(trigger, last, now)


async def send_digest(deps: JobDeps, sched: AgencySchedule, kind: str, end: datetime) -> Sent:
    """Build, store and queue the agency's digest ending at `end`, in one transaction."""
    async with deps.uow() as uow:
        await advisory.xact_lock(uow.session, f"consultbot:digest:{sched.agency_id}:{kind}")
        period = await store.next_period(uow, sched.agency_id, kind, end)
        if period is None:
            return Sent(sched.code, kind, None, 0, "nothing since the last digest")
        content = await build(uow, sched.agency_id, kind, period)
        record = await store.save(uow, content)
        if record is None:
            return Sent(sched.code, kind, None, 0, "this period was already sent")
        places = await destinations.digest_destinations(uow, sched.agency_id)
        queued = await digest_delivery.deliver(
            uow,
            record,
            places,
            send_empty=sched.send_empty,
            limits=deps.text_limits,
            tz_name=deps.tz_name,
        )
        try:
            await uow.commit()
        except IntegrityError:
            return Sent(sched.code, kind, None, 0, "this period was already sent")
    if queued:
        deps.wake()
    return Sent(sched.code, kind, record.id, len(queued), "")


async def send_now(deps: JobDeps, agency_id: int, kind: str = "daily") -> Sent:
    """A digest up to this moment, whatever the schedule says: what an operator asks for.

    No settling time here: the operator means "up to now". A comment being committed at
    this very millisecond is the only thing that could fall between two digests.
    """
    async with deps.uow() as uow:
        sched = await schedule.schedule_of(uow, agency_id)
        end = uow.now()
    return await send_digest(deps, sched, store.check_kind(kind), end)


async def _due(deps: JobDeps, sched: AgencySchedule, kind: str, now: datetime) -> datetime | None:
    """The end of the agency's digest of this kind due by `now`, if one is."""
    async with deps.uow() as uow:
        period = await store.next_period(uow, sched.agency_id, kind, now)
    return due_end(sched, kind, period.start, now, deps.tz) if period else None


async def run_agency_digest(deps: JobDeps, agency_id: int, kind: str) -> str:
    """The job at an agency's cron time: send the digest due now, after the settling time."""
    async with deps.uow() as uow:
        sched = await schedule.schedule_of(uow, agency_id)
        now = uow.now()
    end = await _due(deps, sched, kind, now)
    if end is None:
        return f"{sched.code} {kind}: nothing due"
    wait = (end + deps.settle - now).total_seconds()
    if wait > 0:
        await asyncio.sleep(wait)
    return str(await send_digest(deps, sched, kind, end))


async def run_digests(deps: JobDeps) -> str:
    """The catch-up sweep: every agency's every digest that is due and not yet sent."""
    async with deps.uow() as uow:
        everyone = await schedule.schedules(uow)
        horizon = uow.now() - deps.settle
    results = []
    for sched in everyone:
        for kind in store.KINDS:
            end = await _due(deps, sched, kind, horizon)
            if end is not None:
                results.append(str(await send_digest(deps, sched, kind, end)))
    return "digests: " + ("; ".join(results) if results else "none due")
