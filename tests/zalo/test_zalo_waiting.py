"""The dispatcher's "waiting" state: a recipient the platform cannot reach until they write
keeps their messages, in order, and nobody else waits for them."""

from __future__ import annotations

import pytest

from bot.outbox import SendResult, SendStatus
from consultations import delivery
from storage.clock import FixedClock
from storage.uow import UnitOfWorkFactory
from tests.outbox.fakes import FakeTime, RecordingSender, drain, make_dispatcher, queue, rows

OUTSIDE = SendResult(SendStatus.DEFERRED, error="-230 outside the 7-day window")


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


async def test_a_deferred_row_parks_its_recipients_queue_until_released(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime
) -> None:
    sender = RecordingSender(time)
    parked = await queue(uow_factory, "101", 2)
    other = await queue(uow_factory, "202", 1)
    sender.answer(parked[0], OUTSIDE)
    dispatcher = make_dispatcher(uow_factory, sender, time)

    await dispatcher.run_once()

    assert [r.status for r in await rows(uow_factory, parked)] == ["waiting", "waiting"]
    assert sender.delivered_ids() == other, "another recipient waited for a parked one"
    assert dispatcher.stats.waiting == 2
    later = await queue(uow_factory, "101", 1)
    await dispatcher.run_once()
    assert sender.delivered_ids("101") == [], "a later message overtook the waiting ones"
    assert [r.status for r in await rows(uow_factory, later)] == ["pending"]

    async with uow_factory() as uow:
        assert await delivery.release_waiting(uow, "telegram", "101") == 2
        await uow.commit()
    await drain([dispatcher], uow_factory, clock, time)

    assert sender.delivered_ids("101") == [*parked, *later], "released out of order"
    first = (await rows(uow_factory, parked))[0]
    assert first.attempts == 1, "waiting for the user counted as a failed attempt"


async def test_waiting_rows_close_with_the_rest_when_the_recipient_turns_unreachable(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime
) -> None:
    sender = RecordingSender(time)
    parked = await queue(uow_factory, "101", 2)
    sender.answer(parked[0], OUTSIDE)
    dispatcher = make_dispatcher(uow_factory, sender, time)
    await dispatcher.run_once()
    async with uow_factory() as uow:
        await delivery.release_waiting(uow, "telegram", "101")
        await uow.commit()
    sender.answer(parked[0], SendResult(SendStatus.UNREACHABLE, error="blocked"))
    await drain([dispatcher], uow_factory, clock, time)
    assert [r.status for r in await rows(uow_factory, parked)] == ["unreachable"] * 2
