"""Replies leased in the transaction that queued them go out without a claim, in order."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import update

from bot.ingest import IngestBatcher
from bot.outbox import Dispatcher
from consultations import delivery, outbox
from handlers.flows.context import FlowSettings
from handlers.messages import Inbound, Reply
from storage.clock import FixedClock
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.outbox.fakes import FakeTime, RecordingSender, make_dispatcher, queue, rows

_events = itertools.count(1)


def _hello(user: str) -> Inbound:
    return Inbound(channel="telegram", user_ref=user, event_id=f"h{next(_events)}",
                   text="xin chào")


async def _started(dispatcher: Dispatcher) -> int:
    """Start the loop and wait for its first sweep; returns the sweeps made so far."""
    dispatcher.start()
    for _ in range(200):
        if dispatcher.stats.sweeps:
            return dispatcher.stats.sweeps
        await asyncio.sleep(0.01)
    raise AssertionError("the dispatcher never swept")


async def _until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(300):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(what)


async def test_the_replies_of_a_batch_are_sent_without_a_claim(
    uow_factory: UnitOfWorkFactory,
) -> None:
    sender = RecordingSender(FakeTime())
    dispatcher = make_dispatcher(uow_factory, sender, FakeTime(), poll_interval=3600)
    sweeps = await _started(dispatcher)
    batcher = IngestBatcher(uow_factory, FlowSettings(), dispatcher=lambda: dispatcher)
    try:
        await asyncio.gather(batcher.handle(_hello("101")), batcher.handle(_hello("202")))
        await _until(lambda: {d.recipient for d in sender.delivered} == {"101", "202"},
                     "the replies were not sent")
        await _until(lambda: dispatcher.stats.sent == len(sender.delivered),
                     "the sends were not recorded")
    finally:
        await batcher.close()
        await dispatcher.stop()

    assert dispatcher.stats.sweeps == sweeps, "no claim, no wake-up: the rows were handed over"
    stored = await rows(uow_factory, sender.delivered_ids())
    assert {row.status for row in stored} == {"sent"}
    assert sender.duplicates() == {}


async def test_a_reply_behind_an_unsent_message_waits_for_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    [earlier] = await queue(uow_factory, "101")
    async with uow_factory() as uow:  # put off for an hour, as after a 5xx
        await uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == earlier)
            .values(next_attempt_at=uow.now() + timedelta(hours=1))
        )
        await uow.commit()
    time = FakeTime()
    sender = RecordingSender(time)
    dispatcher = make_dispatcher(uow_factory, sender, time, poll_interval=3600)
    sweeps = await _started(dispatcher)
    batcher = IngestBatcher(uow_factory, FlowSettings(), dispatcher=lambda: dispatcher)
    try:
        await batcher.handle(_hello("101"))
        await _until(lambda: dispatcher.stats.sweeps > sweeps,
                     "the dispatcher was not woken for the row left queued")
        assert sender.delivered == [], "the reply overtook the message before it"

        clock.advance(timedelta(hours=1, seconds=1))
        await dispatcher.run_once()
    finally:
        await batcher.close()
        await dispatcher.stop()

    sent = sender.delivered_ids("101")
    assert sent[0] == earlier and len(sent) >= 2, "both went, the earlier one first"
    assert sent == sorted(sent)


async def test_rows_leased_by_a_process_that_died_are_claimed_when_the_lease_runs_out(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        ids = await outbox.enqueue_many(
            uow, channel="telegram", recipient="303",
            payloads=[(f"lease:{n}", Reply(f"tin {n}").to_payload()) for n in range(2)],
        )
        leased = await delivery.lease_queued(uow, ids, ["telegram"], lease_seconds=60)
        await uow.commit()
    assert [row.id for row in leased] == ids, "rows queued together are leased together"

    async with uow_factory() as uow:  # the process died before sending them
        early = await delivery.claim_due(uow, ["telegram"], lease_seconds=60)
        await uow.commit()
    clock.advance(timedelta(seconds=61))
    async with uow_factory() as uow:
        late = await delivery.claim_due(uow, ["telegram"], lease_seconds=60)
        await uow.commit()

    assert early == [], "a live lease is nobody else's to take"
    assert [row.id for row in late] == ids


async def test_only_the_channels_a_dispatcher_sends_are_leased_to_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        ids = await outbox.enqueue_many(
            uow, channel="email", recipient="a@example.org",
            payloads=[("lease:email", Reply("tin").to_payload())],
        )
        leased = await delivery.lease_queued(uow, ids, ["telegram"], lease_seconds=60)
        await uow.commit()
    assert leased == []
    assert [row.status for row in await rows(uow_factory, ids)] == ["pending"]
