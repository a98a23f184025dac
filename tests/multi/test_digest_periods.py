"""Two instances building one agency's digest at the same moment, for different period ends
(a former leader still finishing and a new one, or an operator's `digest send`): the
periods they store follow each other and never overlap, so nothing is reported twice."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.jobs import JobDeps
from bot.jobs.digests import send_digest
from consultations.digests import schedule
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.models import Digest
from storage.uow import UnitOfWorkFactory
from tests.multi.seed import seed

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


async def test_digests_built_at_once_for_different_ends_cover_each_period_once(
    shared_url: str,
) -> None:
    clock = FixedClock(T0)
    engines = [create_engine(shared_url) for _ in range(2)]
    deps = [
        JobDeps(UnitOfWorkFactory(session_factory(engine), clock), ZoneInfo("Asia/Ho_Chi_Minh"))
        for engine in engines
    ]
    try:
        seeded = await seed(deps[0].uow)
        clock.set(T0 + timedelta(minutes=10))
        async with deps[0].uow() as uow:
            sched = await schedule.schedule_of(uow, seeded.agency_id)
        ends = [T0 + timedelta(minutes=4), T0 + timedelta(minutes=7)]
        for _ in range(5):  # five rounds of the race, each ending later than the last
            results = await asyncio.gather(
                *(send_digest(d, sched, "daily", end) for d, end in zip(deps, ends, strict=True))
            )
            assert any(r.digest_id is not None for r in results), results
            ends = [end + timedelta(minutes=10) for end in ends]
            clock.advance(timedelta(minutes=10))
        async with deps[0].uow() as uow:
            periods = list(
                await uow.session.execute(
                    select(Digest.period_start, Digest.period_end).order_by(Digest.period_end)
                )
            )
    finally:
        for engine in engines:
            await engine.dispose()
    assert periods[0][0] == T0, "the first digest does not start when the agency was created"
    for (_, end), (start, _) in itertools.pairwise(periods):
        assert start == end, f"overlapping or missing period between digests: {periods}"
