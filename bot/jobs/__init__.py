"""The scheduled jobs, by name: what `consultbot jobs run NAME` and the scheduler run.

Every job is a sweep over the database: run it twice, late, or after a restart and
it does what is due exactly once (job marks, unique digest periods, dedupe keys).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.base import JobDeps, JobGuard, LeaderGuard, LocalGuard
from bot.jobs.digests import run_agency_digest, run_digests, send_now
from bot.jobs.reminders import run_closing_reminders, run_question_reminders
from bot.jobs.rounds import run_rounds


@dataclass(frozen=True)
class JobSpec:
    """A named sweep, when the scheduler runs it, and whether it also runs at start-up."""

    name: str
    description: str
    run: Callable[[JobDeps], Awaitable[str]]
    trigger: Callable[[ZoneInfo], BaseTrigger]
    at_start: bool = False


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec(
            "rounds",
            "open and close rounds at their times; announce them to followers",
            run_rounds,
            lambda tz: IntervalTrigger(minutes=1, timezone=tz),
            at_start=True,
        ),
        JobSpec(
            "digests",
            "send every agency's digests that are due (catch-up after downtime)",
            run_digests,
            lambda tz: IntervalTrigger(minutes=15, timezone=tz),
            at_start=True,
        ),
        JobSpec(
            "closing-reminders",
            "remind people with an unfinished comment 3 days before a round closes",
            run_closing_reminders,
            lambda tz: CronTrigger(minute=10, timezone=tz),
        ),
        JobSpec(
            "question-reminders",
            "remind agencies of questions due within 3 days or overdue",
            run_question_reminders,
            lambda tz: CronTrigger(minute=40, timezone=tz),
        ),
    )
}

__all__ = [
    "JOBS",
    "JobDeps",
    "JobGuard",
    "JobSpec",
    "LeaderGuard",
    "LocalGuard",
    "run_agency_digest",
    "send_now",
]
