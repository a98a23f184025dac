"""The scheduler: runs the sweeps in bot.jobs and each agency's digests at their cron times.

APScheduler 3 (AsyncIOScheduler, memory job store) only decides *when*; what is due
is always read from the database, so nothing is lost by a restart and no job store
needs to survive one. Each agency has a job per digest kind on its own cron line
(Asia/Ho_Chi_Minh); an "agencies" job re-reads the agencies every few minutes, so
an agency added or rescheduled in the console is picked up without a restart.

Work runs in tasks of the runtime's TaskSupervisor, behind a JobGuard (bot.jobs.base).
On SQLite there is one instance and it always runs the jobs. On PostgreSQL every
instance starts its scheduler paused and runs a Leadership (bot.leader): the instance
holding the scheduler lock resumes it (jobs whose time passed meanwhile run at once,
which is the catch-up after a takeover); on losing the lock it pauses again and cancels
the runs in progress, so a former leader starts no new work.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.context import AppContext
from bot.jobs import JOBS, JobDeps, JobGuard, LeaderGuard, LocalGuard, run_agency_digest
from bot.jobs.digests import crontab_trigger
from bot.leader import Leadership
from consultations.digests import schedule, store
from storage.engine import is_sqlite

log = logging.getLogger(__name__)
SYNC_MINUTES = 5
DIGEST_PREFIX = "digest:"
TAKEOVER_MARGIN = timedelta(seconds=1)
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
        self.scheduler = AsyncIOScheduler(timezone=ctx.settings.tz, job_defaults=JOB_DEFAULTS)
        self.leadership: Leadership | None = None
        if not is_sqlite(ctx.settings.database_url):
            self.leadership = Leadership(
                ctx.settings.database_url,
                retry_seconds=ctx.settings.scheduler_lock_retry_seconds,
                on_gain=self._lead,
                on_loss=self._stand_by,
            )
        self.guard: JobGuard = guard or (
            LeaderGuard(self.leadership) if self.leadership else LocalGuard()
        )
        self._runs: set[asyncio.Task[Any]] = set()
        self._watch: asyncio.Task[Any] | None = None

    @property
    def leader(self) -> bool:
        """True while this instance runs the jobs: it holds the lock (always, on SQLite)."""
        if self.leadership is not None:
            return self.leadership.leader
        return bool(self.scheduler.running)

    def start(self) -> None:
        """Register the jobs and start firing them (the start-up sweeps fire at once).

        On PostgreSQL, firing waits until this instance holds the scheduler lock.
        """
        self.register()
        if self.leadership is None:
            self.scheduler.start()
            self.ctx.metrics.set_scheduler_leader(True)
            return
        self.scheduler.start(paused=True)
        self._watch = self.ctx.tasks.spawn("scheduler-leadership", self.leadership.run())

    async def _lead(self) -> None:
        """Run what came due while nobody led: at once, and the digests once more later.

        Resuming fires every job whose time passed (the start-up sweeps among them). A
        digest that came due just before the takeover is not sent before its settling
        time, so the digest sweep runs again once that has passed.
        """
        self.scheduler.resume()
        self.ctx.metrics.set_scheduler_leader(True)
        tz = self.ctx.settings.tz
        self.scheduler.add_job(
            self._fire,
            DateTrigger(datetime.now(tz) + self.deps.settle + TAKEOVER_MARGIN, timezone=tz),
            args=["digests"],
            id="digests:takeover",
            name="digests:takeover",
            replace_existing=True,
        )

    async def _stand_by(self) -> None:
        """Fire nothing more, and cancel what runs: another instance may lead already."""
        self.ctx.metrics.set_scheduler_leader(False)
        if self.scheduler.running:
            self.scheduler.pause()
        runs = list(self._runs)
        for task in runs:
            task.cancel()
        await asyncio.gather(*runs, return_exceptions=True)

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
        self.ctx.metrics.set_scheduler_leader(False)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)
        if self._watch is not None:  # frees the lock: a standby takes over at its next try
            self._watch.cancel()
            await asyncio.gather(self._watch, return_exceptions=True)
            self._watch = None

    async def _fire(self, name: str, *args: Any) -> None:
        """APScheduler's entry: the run itself is a supervised task (logged, cancelled at stop).

        Waiting with asyncio.wait, not await, so a run cancelled at shutdown is not
        reported again by APScheduler as a failed job.
        """
        task = self.ctx.tasks.spawn(f"job:{name}", self.run(name, *args))
        self._runs.add(task)
        task.add_done_callback(self._runs.discard)
        await asyncio.wait({task})

    async def run(self, name: str, *args: Any) -> str | None:
        """Run one job now unless the guard says another run holds it; failures are logged."""
        async with self.guard.hold(name if not args else f"{name}:{args[0]}:{args[1]}") as mine:
            if not mine:
                log.info("job %s skipped: a run is still going, or another instance leads", name)
                return None
            try:
                # The job's kind, not the agency, names the timing: labels stay few.
                with self.ctx.metrics.timed_job(name if not args else f"{name}:{args[1]}"):
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
