"""Sent rows recorded in batches: every row still ends "sent" once, and only while it is ours."""

from __future__ import annotations

import asyncio

import pytest

from bot.outbox.recorder import RecordingCancelled, SentRecorder
from consultations import delivery
from consultations.delivery import ClaimedRow
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.outbox.fakes import queue, rows

NEVER = 3600.0  # a batch that waits this long would hang the test: hang guards catch it
HANG_GUARD = 30.0


class CountingFactory(UnitOfWorkFactory):
    """The real unit-of-work factory, counting the transactions opened through it."""

    def __init__(self, inner: UnitOfWorkFactory) -> None:
        super().__init__(inner.sessions, inner.clock)
        self.opened = 0

    def __call__(self) -> UnitOfWork:
        self.opened += 1
        return super().__call__()


async def claim(uow_factory: UnitOfWorkFactory, count: int) -> list[ClaimedRow]:
    """Queue `count` rows for different recipients and claim them as one dispatcher would."""
    for n in range(count):
        await queue(uow_factory, str(500 + n))
    async with uow_factory() as uow:
        claimed = await delivery.claim_due(uow, ["telegram"], lease_seconds=60, limit=count)
        await uow.commit()
    return claimed


async def test_sends_answered_together_are_written_in_one_transaction(
    uow_factory: UnitOfWorkFactory,
) -> None:
    claimed = await claim(uow_factory, 3)
    counting = CountingFactory(uow_factory)
    recorder = SentRecorder(counting, max_rows=3, max_delay=NEVER, in_flight=lambda: 2)

    kept = await asyncio.wait_for(
        asyncio.gather(*(recorder.mark_sent(row.id, row.lease_owner) for row in claimed)),
        HANG_GUARD,
    )

    assert list(kept) == [True, True, True]
    assert counting.opened == 1, "each sent row had a transaction of its own"
    stored = await rows(uow_factory, [row.id for row in claimed])
    assert [(row.status, row.attempts, row.lease_owner) for row in stored] == [
        ("sent", 1, None)
    ] * 3
    assert all(row.sent_at is not None for row in stored)


async def test_a_lone_send_is_written_at_once(uow_factory: UnitOfWorkFactory) -> None:
    """Nothing else in flight: a reply's row does not wait for company that cannot come."""
    [row] = await claim(uow_factory, 1)
    recorder = SentRecorder(uow_factory, max_rows=100, max_delay=NEVER, in_flight=lambda: 0)

    assert await asyncio.wait_for(recorder.mark_sent(row.id, row.lease_owner), HANG_GUARD)
    [stored] = await rows(uow_factory, [row.id])
    assert stored.status == "sent"


async def test_a_row_whose_lease_was_lost_is_not_touched(uow_factory: UnitOfWorkFactory) -> None:
    ours, taken = await claim(uow_factory, 2)
    async with uow_factory() as uow:  # our lease ran out and another process took the row
        await delivery.release(uow, [taken.id], taken.lease_owner)
        await uow.commit()
    recorder = SentRecorder(uow_factory, max_rows=2, max_delay=NEVER, in_flight=lambda: 1)

    kept = await asyncio.wait_for(
        asyncio.gather(recorder.mark_sent(ours.id, ours.lease_owner),
                       recorder.mark_sent(taken.id, taken.lease_owner)),
        HANG_GUARD,
    )

    assert list(kept) == [True, False]
    stored = await rows(uow_factory, [ours.id, taken.id])
    assert [row.status for row in stored] == ["sent", "pending"]


async def test_a_batch_cancelled_before_its_write_fails_its_rows_instead_of_hanging(
    uow_factory: UnitOfWorkFactory,
) -> None:
    first, second = await claim(uow_factory, 2)
    recorder = SentRecorder(uow_factory, max_rows=100, max_delay=NEVER, in_flight=lambda: 1)
    leader = asyncio.ensure_future(recorder.mark_sent(first.id, first.lease_owner))
    await asyncio.sleep(0)  # the leader starts waiting for company
    follower = asyncio.ensure_future(recorder.mark_sent(second.id, second.lease_owner))
    await asyncio.sleep(0)

    leader.cancel()

    with pytest.raises(RecordingCancelled):
        await asyncio.wait_for(follower, HANG_GUARD)
    with pytest.raises(asyncio.CancelledError):
        await leader
    stored = await rows(uow_factory, [first.id, second.id])
    assert [row.status for row in stored] == ["sending", "sending"], (
        "rows whose outcome was never written must stay leased, to be resumed"
    )
