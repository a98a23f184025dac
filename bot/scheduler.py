"""The scheduler: runs the sweeps in bot.jobs and each agency's digests at their cron times.

APScheduler 3 (AsyncIOScheduler, memory job store) only decides *when*; what is due
is always read from the database, so nothing is lost by a restart and no job store
needs to survive one. Each agency has a job per digest kind on its own cron line
(Asia/Ho_Chi_Minh); an "agencies" job re-reads the agencies every few minutes, so
an agency added or rescheduled in the console is picked up without a restart.

Work runs in tasks of the runtime's TaskSupervisor, behind a JobGuard (bot.jobs.base):
the single place to put a PostgreSQL advisory lock when several instances run.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.context import AppContext
from bot.jobs import JOBS, JobDeps, JobGuard, LocalGuard, run_agency_digest
from bot.jobs.digests import crontab_trigger
from consultations.digests import schedule, store

log = logging.getLogger(__name__)
SYNC_MINUTES = 5
DIGEST_PREFIX = "digest:"
JOB_DEFAULTS = {
    "coalesce": True,  # several missed runs are one run: every job is a sweep
    "max_instances": 1,
    "misfire_grace_time": 3600,
}


def digest_job_id(kind: str, agency_id: int) -> str:
    return f"{DIGEST_PREFIX}{kind}:{agency_id}"


class Scheduler:
    """Started by the runtime when SCHEDULER_ENABLED; `stop()` before the dispatcher stops."""

    def __init__(self, ctx: AppContext, *, guard: JobGuard | None = None) -> None:
        self.ctx = ctx
        self.deps = JobDeps.from_context(ctx)
        self.guard: JobGuard = guard or LocalGuard()
        self.scheduler = AsyncIOScheduler(timezone=ctx.settings.tz, job_defaults=JOB_DEFAULTS)

    def start(self) -> None:
        """Register the jobs and start firing them (the start-up sweeps fire at once)."""
        self.register()
        self.scheduler.start()

    def register(self) -> None:
        """The sweeps on their triggers, and the agencies' sync that adds their digest jobs."""
        tz = self.ctx.settings.tz
        now = datetime.now(tz)
        for spec in JOBS.values():
            # No next_run_time means "from the trigger"; None would add the job paused.
            first = {"next_run_time": now} if spec.at_start else {}
            self.scheduler.add_job(
                self._fire,
                spec.trigger(tz),
                args=[spec.name],
                id=spec.name,
                name=spec.name,
                replace_existing=True,
                **first,
            )
        self.scheduler.add_job(
            self._fire,
            IntervalTrigger(minutes=SYNC_MINUTES, timezone=tz),
            args=["agencies"],
            id="agencies",
            name="agencies",
            next_run_time=now,
            replace_existing=True,
        )

    async def stop(self) -> None:
        """Stop firing; runs in flight are the TaskSupervisor's to cancel.

        AsyncIOScheduler applies a shutdown on its loop's next turn, hence the yield.
        """
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)

    async def _fire(self, name: str, *args: Any) -> None:
        """APScheduler's entry: the run itself is a supervised task (logged, cancelled at stop).

        Waiting with asyncio.wait, not await, so a run cancelled at shutdown is not
        reported again by APScheduler as a failed job.
        """
        await asyncio.wait({self.ctx.tasks.spawn(f"job:{name}", self.run(name, *args))})

    async def run(self, name: str, *args: Any) -> str | None:
        """Run one job now unless the guard says another run holds it; failures are logged."""
        async with self.guard.hold(name if not args else f"{name}:{args[0]}:{args[1]}") as mine:
            if not mine:
                log.info("job %s skipped: a run is still going", name)
                return None
            try:
                summary = await self._call(name, *args)
            except Exception:
                log.exception("job %s failed; its next run will pick up what is due", name)
                return None
        log.info("%s", summary)
        return summary

    async def _call(self, name: str, *args: Any) -> str:
        if name == "agencies":
            return await self.sync_agencies()
        if name == "digest":
            agency_id, kind = args
            return await run_agency_digest(self.deps, int(agency_id), str(kind))
        return await JOBS[name].run(self.deps)

    async def sync_agencies(self) -> str:
        """Give each agency a job per digest kind on its cron line; drop what is gone."""
        async with self.ctx.uow() as uow:
            everyone = await schedule.schedules(uow)
        wanted: dict[str, tuple[int, str, str]] = {}
        for sched in everyone:
            for kind in store.KINDS:
                expression = sched.cron(kind)
                if expression:
                    wanted[digest_job_id(kind, sched.agency_id)] = (
                        sched.agency_id,
                        kind,
                        expression,
                    )
        current = {
            job.id: job for job in self.scheduler.get_jobs() if job.id.startswith(DIGEST_PREFIX)
        }
        for job_id in current.keys() - wanted.keys():
            self.scheduler.remove_job(job_id)
        for job_id, (agency_id, kind, expression) in wanted.items():
            self._schedule_digest(job_id, agency_id, kind, expression, current.get(job_id))
        return f"agencies: {len(wanted)} digest schedules"

    def _schedule_digest(
        self, job_id: str, agency_id: int, kind: str, expression: str, existing: Any
    ) -> None:
        try:
            trigger = crontab_trigger(expression, self.ctx.settings.tz)
        except ValueError:
            log.warning(
                "agency %d: its %s digest schedule %r is not valid", agency_id, kind, expression
            )
            return
        if existing is not None and str(existing.trigger) == str(trigger):
            return
        self.scheduler.add_job(
            self._fire,
            trigger,
            args=["digest", agency_id, kind],
            id=job_id,
            name=job_id,
            replace_existing=True,
        )
