"""Crashes, restarts, several dispatchers, wake-ups, a noisy platform: nothing lost or doubled."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import delivery
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.outbox.fakes import (
    FakeTime,
    RecordingSender,
    drain,
    make_dispatcher,
    queue,
    random_faults,
    rows,
)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


async def test_a_new_dispatcher_resumes_pending_rows_and_rows_whose_lease_ran_out(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime
) -> None:
    orphaned = await queue(uow_factory, "101", 2)
    async with uow_factory() as uow:  # a process claims these, then dies mid-send
        claimed = await delivery.claim_due(uow, ["telegram"], lease_seconds=60, limit=5)
        await uow.commit()
    assert [row.id for row in claimed] == orphaned
    waiting = await queue(uow_factory, "202", 2)
    sender = RecordingSender(time)
    restarted = make_dispatcher(uow_factory, sender, time)

    await restarted.run_once()
    assert sender.delivered_ids() == waiting, "a row under a live lease was sent again"

    clock.advance(timedelta(seconds=61))
    await restarted.run_once()
    assert sender.delivered_ids("101") == orphaned, "rows of a dead process were not resumed"


async def test_a_claim_in_progress_is_skipped_with_the_rows_behind_it(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: a second claim waits instead of skipping")
    [first] = await queue(uow_factory, "101")
    [other] = await queue(uow_factory, "202")
    [behind] = await queue(uow_factory, "101")
    async with uow_factory() as one, uow_factory() as two:
        taken = await delivery.claim_due(one, ["telegram"], lease_seconds=60, limit=1)
        skipped = await asyncio.wait_for(  # without SKIP LOCKED this waits for `one`: fail
            delivery.claim_due(two, ["telegram"], lease_seconds=60, limit=10), timeout=10
        )
        await two.commit()
        await one.commit()
    assert [row.id for row in taken] == [first]
    assert [row.id for row in skipped] == [other], f"{behind} overtook the row being claimed"


async def test_two_dispatchers_on_one_database_send_every_row_exactly_once(
    db_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime
) -> None:
    expected = {f"{100 + n}": await queue(uow_factory, f"{100 + n}", 4) for n in range(15)}
    second_engine = create_engine(db_url)  # another process: its own connections
    try:
        other_factory = UnitOfWorkFactory(session_factory(second_engine), clock)
        sender = RecordingSender(time)
        dispatchers = [
            make_dispatcher(uow_factory, sender, time, batch=8),
            make_dispatcher(other_factory, sender, time, batch=8),
        ]
        await drain(dispatchers, uow_factory, clock, time)
    finally:
        await second_engine.dispose()

    assert sender.duplicates() == {}, "a row was sent twice"
    assert sender.overlapping == 0
    for recipient, ids in expected.items():
        assert sender.delivered_ids(recipient) == ids, f"order broken for {recipient}"
    assert sum(d.stats.sent for d in dispatchers) == 60


async def test_wake_sends_a_queued_reply_without_waiting_for_the_poll(
    uow_factory: UnitOfWorkFactory, time: FakeTime
) -> None:
    [earlier] = await queue(uow_factory, "101")
    sender = RecordingSender(time)
    dispatcher = make_dispatcher(uow_factory, sender, time, poll_interval=3600)
    dispatcher.start()
    try:
        await asyncio.wait_for(sender.arrived.wait(), timeout=30)  # hang guards, not measures
        sender.arrived.clear()
        [reply] = await queue(uow_factory, "101")  # after the first sweep claimed: it waits
        dispatcher.wake()
        await asyncio.wait_for(sender.arrived.wait(), timeout=30)
    finally:
        await dispatcher.stop()

    assert sender.delivered_ids() == [earlier, reply]
    assert dispatcher.stats.sweeps == 2, "the reply went out with a poll, not with the wake-up"


async def test_rows_over_a_group_limit_are_put_off_not_kept_waiting(
    uow_factory: UnitOfWorkFactory, time: FakeTime
) -> None:
    ids = await queue(uow_factory, "-500", 25)  # a group: 20 a minute
    sender = RecordingSender(time)
    dispatcher = make_dispatcher(uow_factory, sender, time)

    await dispatcher.run_once()

    stored = await rows(uow_factory, ids)
    assert [row.status for row in stored] == ["sent"] * 20 + ["pending"] * 5
    assert all(row.lease_owner is None for row in stored), "rows left leased to nobody"
    assert stored[20].attempts == 0, "waiting for our own limit counted as a failed try"
    assert sender.platform.violations == 0


async def test_stop_finishes_the_send_in_flight_and_gives_back_the_rest(
    uow_factory: UnitOfWorkFactory, time: FakeTime
) -> None:
    ids = await queue(uow_factory, "101", 3)
    sender = RecordingSender(time)
    sender.gate = asyncio.Event()
    dispatcher = make_dispatcher(uow_factory, sender, time)
    dispatcher.start()
    await asyncio.wait_for(sender.called.wait(), timeout=30)  # a hang guard

    stopping = asyncio.ensure_future(dispatcher.stop())
    await asyncio.sleep(0)  # stop() runs up to waiting for the send in flight
    sender.gate.set()
    await stopping

    assert [row.status for row in await rows(uow_factory, ids)] == ["sent", "pending", "pending"]
    assert all(row.lease_owner is None for row in await rows(uow_factory, ids))


async def test_a_noisy_platform_still_gets_every_row_and_repeats_only_ambiguous_ones(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime
) -> None:
    expected = {f"{100 + n}": await queue(uow_factory, f"{100 + n}", 5) for n in range(20)}
    expected["-900"] = await queue(uow_factory, "-900", 5)
    expected["300"] = await queue(uow_factory, "300", 3, broadcast=True)
    sender = RecordingSender(time, fault=random_faults(0.2, seed=3))
    dispatcher = make_dispatcher(uow_factory, sender, time)

    await drain([dispatcher], uow_factory, clock, time)

    stats = dispatcher.stats
    assert stats.retried and stats.rate_limited and stats.ambiguous, "no faults were injected"
    all_ids = [i for ids in expected.values() for i in ids]
    assert [row.status for row in await rows(uow_factory, all_ids)] == ["sent"] * len(all_ids)
    assert set(sender.delivered_ids()) == set(all_ids)
    repeated = sender.duplicates()
    ambiguous = {row.id for row in await rows(uow_factory, all_ids) if row.ambiguous_count}
    assert set(repeated) <= ambiguous, "a row was repeated without an ambiguous time-out"
    assert sum(n - 1 for n in repeated.values()) <= stats.ambiguous
    for recipient, ids in expected.items():
        firsts = list(dict.fromkeys(sender.delivered_ids(recipient)))
        assert firsts == ids, f"order broken for {recipient}"
    assert sender.platform.violations == 0, "the dispatcher went over the platform's limits"
