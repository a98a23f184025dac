"""The scheduler lock, in one process with an engine per "instance": exactly one leads; when
its session ends another takes over within the retry interval; a leader that loses the lock
stops the job it was running, and the new leader sends that digest period once."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import NullPool, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bot.context import AppContext
from bot.leader import SCHEDULER_LOCK, Leadership
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.throttle import FloodGuard
from handlers.flows.context import FlowSettings
from storage import advisory
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.models import Digest, OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.multi.seed import STAFF_CHAT, seed

RETRY = 0.3  # seconds between tries; takeover must come within two of them (plus slack)
T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


async def until(check: Callable[[], bool], within: float) -> None:
    """Wait (bounded) for a background change; the bound is a time-out, not a speed claim."""
    for _ in range(int(within / 0.01)):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"not reached within {within} s")


@pytest.fixture
async def admin(shared_url: str) -> AsyncIterator[AsyncConnection]:
    """An operator's connection to the shared database: pg_locks, pg_terminate_backend."""
    engine = create_async_engine(shared_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        yield conn
    await engine.dispose()


async def test_one_of_two_instances_leads_and_the_other_takes_over_when_its_session_ends(
    shared_url: str, admin: AsyncConnection
) -> None:
    changes: list[tuple[str, str]] = []
    both_led = False

    def instance(tag: str) -> Leadership:
        async def gain() -> None:
            changes.append((tag, "gain"))

        async def loss() -> None:
            changes.append((tag, "loss"))

        return Leadership(shared_url, retry_seconds=RETRY, on_gain=gain, on_loss=loss)

    a, b = instance("a"), instance("b")

    async def watch() -> None:
        nonlocal both_led
        while True:
            both_led = both_led or (a.leader and b.leader)
            await asyncio.sleep(0)

    tasks = [asyncio.create_task(job) for job in (a.run(), b.run(), watch())]
    try:
        await until(lambda: a.leader or b.leader, within=20 * RETRY)
        first, second = (a, b) if a.leader else (b, a)
        await asyncio.sleep(5 * RETRY)  # several more tries by the standby
        assert first.leader and not second.leader, "the standby took a lock that was held"
        pid = await first.lock.backend_pid()
        assert [h.pid for h in await advisory.holders(admin, SCHEDULER_LOCK)] == [pid]

        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await until(lambda: second.leader, within=20 * RETRY)

        assert not first.leader, "the instance whose session ended still thinks it leads"
        holders = await advisory.holders(admin, SCHEDULER_LOCK)
        assert [h.pid for h in holders] == [await second.lock.backend_pid()]
        assert holders[0].application_name.startswith("consultbot scheduler ")
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    tags = {id(a): "a", id(b): "b"}
    one, other = tags[id(first)], tags[id(second)]
    # ... and the last "loss" is the survivor stepping down when it is stopped.
    assert changes == [(one, "gain"), (one, "loss"), (other, "gain"), (other, "loss")], changes
    assert not both_led, "two instances led at the same moment"
    assert await advisory.holders(admin, SCHEDULER_LOCK) == [], "a stopped instance kept the lock"


def context(url: str, clock: FixedClock) -> AppContext:
    engine = create_engine(url)
    return AppContext(
        settings=Settings(
            database_url=url, migrate_on_start=False, scheduler_lock_retry_seconds=RETRY,
            _env_file=None,  # type: ignore[call-arg]
        ),
        engine=engine,
        uow=UnitOfWorkFactory(session_factory(engine), clock),
        flow_settings=FlowSettings(text_limits={"telegram": 4000}),
        flood=FloodGuard(),
    )


async def test_a_leader_losing_the_lock_mid_digest_stops_and_the_new_leader_sends_it_once(
    shared_url: str, admin: AsyncConnection
) -> None:
    clock = FixedClock(T0)
    first_ctx, second_ctx = context(shared_url, clock), context(shared_url, clock)
    seeded = await seed(first_ctx.uow)
    clock.set(T0 + timedelta(minutes=3, seconds=30))  # the 02:03 digest is due
    first, second = Scheduler(first_ctx), Scheduler(second_ctx)
    # The first leader waits an hour for the period to settle: it is still waiting when
    # it loses the lock. (Its start-up sweep, with that settling time, finds nothing due.)
    first.deps = dataclasses.replace(first.deps, settle=timedelta(hours=1))
    first.start()
    fired: asyncio.Task[None] | None = None
    try:
        await until(lambda: first.leader, within=20 * RETRY)
        second.start()
        await asyncio.sleep(5 * RETRY)
        assert first.leader and not second.leader
        assert await second.run("digests") is None, "a standby ran a job"

        fired = asyncio.create_task(first._fire("digest", seeded.agency_id, "daily"))
        await until(lambda: bool(first._runs), within=5.0)
        assert first.leadership is not None
        pid = await first.leadership.lock.backend_pid()
        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await until(lambda: fired.done(), within=20 * RETRY)
        assert not first.leader, "the former leader did not step down"
        await until(lambda: second.leader, within=20 * RETRY)

        async def stored() -> list[tuple[datetime, datetime]]:
            async with second_ctx.uow() as uow:
                rows = await uow.session.execute(
                    select(Digest.period_start, Digest.period_end).order_by(Digest.period_end)
                )
                return [(start, end) for start, end in rows]

        for _ in range(500):  # the new leader's start-up sweep sends the due digest
            if await stored():
                break
            await asyncio.sleep(0.02)
        periods = await stored()
    finally:
        for scheduler in (first, second):
            await scheduler.stop()
        for ctx in (first_ctx, second_ctx):
            await ctx.tasks.stop()
        if fired is not None:
            await asyncio.gather(fired, return_exceptions=True)
    async with second_ctx.uow() as uow:
        queued = await uow.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.recipient == str(STAFF_CHAT),
                OutboxMessage.dedupe_key.startswith("digest:"),
            )
        )
    for ctx in (first_ctx, second_ctx):
        await ctx.engine.dispose()
    assert periods == [(T0, T0 + timedelta(minutes=3))], (
        f"the 02:00-02:03 period should be stored once, by the new leader: {periods}"
    )
    assert queued == 1, f"the digest was queued {queued} times for the staff member's chat"
