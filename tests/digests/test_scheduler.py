"""The scheduler registers every sweep and each agency's digests on the right cron lines in
Asia/Ho_Chi_Minh, follows schedule changes, and never runs one job twice at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.context import AppContext
from bot.jobs import JOBS, LocalGuard
from bot.jobs.digests import crontab_trigger, latest_fire
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.throttle import FloodGuard
from consultations import agencies, rounds
from consultations.digests import schedule
from handlers.flows.context import FlowSettings
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.digests.conftest import follower

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY_9AM = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 09:00 in Hanoi


def context(db_url: str, engine: AsyncEngine, uows: UnitOfWorkFactory) -> AppContext:
    return AppContext(
        settings=Settings(database_url=db_url, migrate_on_start=False),
        engine=engine,
        uow=uows,
        flow_settings=FlowSettings(text_limits={"telegram": 4000}),
        flood=FloodGuard(),
    )


def next_fire(trigger: object, after: datetime = FRIDAY_9AM) -> datetime:
    assert isinstance(trigger, CronTrigger), f"expected a cron trigger, got {trigger}"
    fire = trigger.get_next_fire_time(None, after)
    assert fire is not None
    return fire.astimezone(UTC)


async def test_sweeps_and_each_agencys_digests_are_registered_on_their_cron_in_hanoi_time(
    db_url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    async with uow_factory() as uow:
        first = (await rounds.get_round(uow, open_round)).agency_id
        second = (await agencies.add_agency(uow, "SO-HAI", "Sở Hai")).id
        await schedule.set_schedule(
            uow, second, daily_cron="0 17 * * 1-5", no_weekly=True, actor="t"
        )
        await uow.commit()
    scheduler = Scheduler(context(db_url, engine, uow_factory))
    scheduler.register()
    await scheduler.sync_agencies()
    jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
    assert set(jobs) == {
        *JOBS,
        "agencies",
        f"digest:daily:{first}",
        f"digest:weekly:{first}",
        f"digest:daily:{second}",
    }, f"registered: {sorted(jobs)}"
    for job in jobs.values():
        assert job.trigger.timezone == HANOI, f"{job.id} runs in {job.trigger.timezone}"
    assert next_fire(jobs[f"digest:daily:{first}"].trigger) == datetime(
        2026, 11, 28, 0, 30, tzinfo=UTC
    )
    assert next_fire(jobs[f"digest:weekly:{first}"].trigger) == datetime(
        2026, 11, 30, 1, 0, tzinfo=UTC
    )
    weekday_5pm = jobs[f"digest:daily:{second}"].trigger
    assert next_fire(weekday_5pm) == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert next_fire(weekday_5pm, datetime(2026, 11, 27, 11, 0, tzinfo=UTC)) == datetime(
        2026, 11, 30, 10, 0, tzinfo=UTC
    ), "the weekday digest ran at the weekend"
    assert str(jobs["closing-reminders"].trigger).startswith("cron[minute='10'")

    async with uow_factory() as uow:
        await schedule.set_schedule(uow, first, daily_cron="15 6 * * *", no_weekly=True, actor="t")
        await uow.commit()
    await scheduler.sync_agencies()
    jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
    assert f"digest:weekly:{first}" not in jobs, "a weekly digest switched off still runs"
    assert next_fire(jobs[f"digest:daily:{first}"].trigger) == datetime(
        2026, 11, 27, 23, 15, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("line", "weekday"),
    [("0 8 * * 0", 6), ("0 8 * * 7", 6), ("0 8 * * 1", 0), ("0 8 * * sun", 6), ("0 8 * * 5", 4)],
)
def test_crontab_day_of_week_numbers_keep_their_cron_meaning(line: str, weekday: int) -> None:
    """APScheduler 3 counts weekdays from Monday=0; a crontab line counts from Sunday=0."""
    fire = next_fire(crontab_trigger(line, HANOI)).astimezone(HANOI)
    assert fire.weekday() == weekday, f"{line!r} fired on {fire:%A}"


def test_a_step_over_weekdays_and_a_bad_line_are_read_as_cron_reads_them() -> None:
    fires = []
    trigger = crontab_trigger("0 8 * * */2", HANOI)  # Sunday, Tuesday, Thursday, Saturday
    moment = FRIDAY_9AM
    for _ in range(4):
        moment = next_fire(trigger, moment + timedelta(seconds=1))
        fires.append(moment.astimezone(HANOI).strftime("%a"))
    assert fires == ["Sat", "Sun", "Tue", "Thu"]
    with pytest.raises(ValueError):
        crontab_trigger("30 7 * *", HANOI)


def test_the_due_digest_ends_at_the_latest_cron_time_not_after_now() -> None:
    daily = crontab_trigger("30 7 * * *", HANOI)
    after = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
    now = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    assert latest_fire(daily, after, now) == datetime(2026, 11, 29, 0, 30, tzinfo=UTC)
    assert latest_fire(daily, now, now) is None, "nothing is due right after a digest"


async def test_a_job_still_running_is_not_started_again() -> None:
    guard = LocalGuard()
    async with (
        guard.hold("digests") as first,
        guard.hold("digests") as second,
        guard.hold("rounds") as other,
    ):
        assert (first, second, other) == (True, False, True)
    async with guard.hold("digests") as again:
        assert again, "a finished run must not block the next one"


async def test_the_scheduler_starts_in_the_running_loop_and_stops_cleanly(
    db_url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    ctx = context(db_url, engine, uow_factory)
    scheduler = Scheduler(ctx)
    scheduler.start()
    assert scheduler.scheduler.running
    await asyncio.sleep(0)
    await scheduler.stop()
    await ctx.tasks.stop()
    assert not scheduler.scheduler.running


async def test_the_start_up_sweeps_run_through_the_supervisor_into_the_outbox(
    db_url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    """Started for real: APScheduler fires the rounds sweep at once, which announces the open
    round to its follower and wakes the dispatcher."""
    fan = await follower(uow_factory, "fan", "all")
    ctx = context(db_url, engine, uow_factory)
    woken: list[bool] = []
    ctx.wake = lambda: woken.append(True)
    scheduler = Scheduler(ctx)
    scheduler.start()
    try:
        announced: list[int | None] = []
        for _ in range(400):  # waits for an event, at most 20 s; asserts no duration
            async with uow_factory() as uow:
                announced = list(
                    await uow.session.scalars(
                        select(OutboxMessage.participant_id).where(
                            OutboxMessage.dedupe_key.startswith("announce:")
                        )
                    )
                )
            if announced:
                break
            await asyncio.sleep(0.05)
    finally:
        await scheduler.stop()
        await ctx.tasks.stop()
    assert announced == [fan], "the start-up sweep did not announce the open round"
    assert woken, "the dispatcher was not woken for the queued announcement"
