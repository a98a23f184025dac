"""A broadcast keeps sending while the next batch is claimed, and stays exact doing so."""

from __future__ import annotations

import asyncio

import pytest

from storage.uow import UnitOfWorkFactory
from tests.outbox.fakes import FakeTime, RecordingSender, make_dispatcher, queue, rows

HANG_GUARD = 30.0


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


async def _calls(sender: RecordingSender, count: int) -> None:
    while len(sender.calls) < count:
        sender.called.clear()
        await sender.called.wait()


async def test_a_full_claim_lets_the_next_sweep_claim_while_it_still_sends(
    uow_factory: UnitOfWorkFactory, time: FakeTime
) -> None:
    ids = [row for n in range(4) for row in await queue(uow_factory, str(300 + n),
                                                        broadcast=True)]
    sender = RecordingSender(time)
    sender.gate = asyncio.Event()  # every send hangs until the test opens the gate
    dispatcher = make_dispatcher(uow_factory, sender, time, batch=2, max_sweeps=2,
                                 poll_interval=3600)
    dispatcher.start()
    try:
        # Only a second sweep, started while the first one's sends hang, reaches rows 3-4.
        await asyncio.wait_for(_calls(sender, 4), HANG_GUARD)
        sender.gate.set()
        await asyncio.wait_for(sender.arrived.wait(), HANG_GUARD)
    finally:
        sender.gate.set()
        await dispatcher.stop()

    assert sorted(sender.delivered_ids()) == ids
    assert sender.duplicates() == {}
    assert [row.status for row in await rows(uow_factory, ids)] == ["sent"] * 4
