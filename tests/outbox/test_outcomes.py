"""What the dispatcher does with each kind of answer: order kept, holds, back-off, dead letters."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.outbox import SendResult, SendStatus
from consultations import delivery
from storage.clock import FixedClock
from storage.models import Participant
from storage.uow import UnitOfWorkFactory
from tests.outbox.fakes import FakeTime, RecordingSender, drain, make_dispatcher, queue, rows

RETRY = SendResult(SendStatus.RETRY, error="502 bad gateway")


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def sender(time: FakeTime) -> RecordingSender:
    return RecordingSender(time)


async def test_a_recipients_rows_go_out_in_order_while_the_first_is_retried(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime, sender: RecordingSender
) -> None:
    first, *rest = await queue(uow_factory, "101", 4)
    others = await queue(uow_factory, "202", 2)
    sender.answer(first, RETRY, RETRY)
    dispatcher = make_dispatcher(uow_factory, sender, time)

    await dispatcher.run_once()
    await dispatcher.run_once()  # the first row is not due yet: nothing may overtake it
    assert sender.delivered_ids("101") == [], "a later reply overtook one waiting for a retry"

    await drain([dispatcher], uow_factory, clock, time)

    tried = [d.outbox_id for d in sender.calls if d.recipient == "101"]
    assert tried == [first, first, first, *rest], "a later reply was sent before an earlier one"
    assert sender.delivered_ids("202") == others
    assert [d.attempt for d in sender.calls if d.outbox_id == first] == [1, 2, 3]
    assert dispatcher.stats.retried == 2 and dispatcher.stats.sent == 6


async def test_a_429_holds_only_that_recipient(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime, sender: RecordingSender
) -> None:
    held = await queue(uow_factory, "101", 2)
    free = await queue(uow_factory, "202", 3)
    sender.answer(held[0], SendResult(SendStatus.RATE_LIMITED, retry_after=30, error="429"))
    dispatcher = make_dispatcher(uow_factory, sender, time)

    await dispatcher.run_once()

    assert sender.delivered_ids() == free, "the other recipient waited for someone else's 429"
    first, second = await rows(uow_factory, held)
    assert (first.status, first.attempts, first.throttled_count) == ("pending", 0, 1)
    assert first.next_attempt_at == clock.now() + timedelta(seconds=30)
    assert second.status == "pending" and second.lease_owner is None

    clock.advance(timedelta(seconds=30))
    time.advance(30)
    await dispatcher.run_once()

    assert sender.delivered_ids("101") == held
    assert sender.platform.violations == 0, "the dispatcher came back before retry_after"
    assert dispatcher.stats.rate_limited == 1


async def test_endless_429s_end_in_the_dead_letters(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime, sender: RecordingSender
) -> None:
    [row_id] = await queue(uow_factory, "101")
    sender.answer(row_id, *[SendResult(SendStatus.RATE_LIMITED, retry_after=1)] * 3)
    dispatcher = make_dispatcher(uow_factory, sender, time, max_throttled=3)

    await drain([dispatcher], uow_factory, clock, time)

    [row] = await rows(uow_factory, [row_id])
    assert (row.status, row.last_error) == ("dead", "rate limited too often")


async def test_transient_errors_back_off_with_jitter_then_dead_letter(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime, sender: RecordingSender,
    caplog: pytest.LogCaptureFixture,
) -> None:
    failing, after = await queue(uow_factory, "101", 2)
    sender.answer(failing, *[RETRY] * 4)
    dispatcher = make_dispatcher(uow_factory, sender, time, max_attempts=4, max_backoff=3.0)

    for cap in (0.5, 1.0, 2.0):  # base 0.5 doubling, capped at 3
        await dispatcher.run_once()
        [row] = await rows(uow_factory, [failing])
        waited = (row.next_attempt_at - clock.now()).total_seconds()
        assert row.status == "pending" and 0 <= waited <= cap, f"back-off {waited}s > {cap}s"
        clock.advance(timedelta(seconds=3))
        time.advance(3)
    with caplog.at_level(logging.WARNING, logger="bot.outbox.dispatcher"):
        await dispatcher.run_once()

    [row] = await rows(uow_factory, [failing])
    assert (row.status, row.attempts, row.last_error) == ("dead", 4, "502 bad gateway")
    assert sender.delivered_ids("101") == [after], "a dead row blocked the recipient's next one"
    assert f"outbox {failing} on telegram dead-lettered" in caplog.text
    assert "tin nhắn" not in caplog.text, "message text leaked into the log"
    assert dispatcher.stats.dead == 1


async def test_a_bad_request_is_dead_at_once_and_can_be_requeued(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime, sender: RecordingSender
) -> None:
    bad, good = await queue(uow_factory, "101", 2)
    sender.answer(bad, SendResult(SendStatus.FAILED, error="400 chat not found"))
    dispatcher = make_dispatcher(uow_factory, sender, time)

    await dispatcher.run_once()

    async with uow_factory() as uow:
        dead = await delivery.list_dead(uow, limit=10)
    assert [(d.id, d.attempts, d.last_error) for d in dead] == [(bad, 1, "400 chat not found")]
    assert sender.delivered_ids() == [good]

    async with uow_factory() as uow:
        assert await delivery.requeue(uow, bad)
        assert not await delivery.requeue(uow, good), "a sent row was requeued"
        await uow.commit()
    await dispatcher.run_once()

    assert sender.delivered_ids() == [good, bad]


async def test_a_blocked_user_becomes_unreachable_with_everything_queued_for_them(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime, sender: RecordingSender
) -> None:
    async with uow_factory() as uow:
        person = Participant(channel="telegram", channel_user_id="101",
                             created_at=clock.now(), last_seen_at=clock.now())
        uow.session.add(person)
        await uow.commit()
    blocked = await queue(uow_factory, "101", 3, participant_id=person.id)
    other = await queue(uow_factory, "202", 1)
    sender.answer(blocked[0], SendResult(SendStatus.UNREACHABLE, error="403 forbidden"))
    dispatcher = make_dispatcher(uow_factory, sender, time)

    finished = await dispatcher.run_once()

    assert finished == 4
    assert [row.status for row in await rows(uow_factory, blocked)] == ["unreachable"] * 3
    assert [d.outbox_id for d in sender.calls if d.recipient == "101"] == blocked[:1]
    assert sender.delivered_ids() == other
    async with uow_factory() as uow:
        stored = await uow.session.get(Participant, person.id)
    assert stored is not None and stored.unreachable_at == clock.now()
    assert dispatcher.stats.unreachable == 3


async def test_a_sender_that_raises_is_retried_not_fatal(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, time: FakeTime, sender: RecordingSender
) -> None:
    [row_id] = await queue(uow_factory, "101")
    sender.answer(row_id, RuntimeError("bug"))
    dispatcher = make_dispatcher(uow_factory, sender, time)

    await drain([dispatcher], uow_factory, clock, time)

    assert sender.delivered_ids() == [row_id]
    [row] = await rows(uow_factory, [row_id])
    assert row.last_error == "sender raised RuntimeError"


async def test_webchat_rows_are_left_for_the_http_responses(
    uow_factory: UnitOfWorkFactory, time: FakeTime, sender: RecordingSender
) -> None:
    [pulled] = await queue(uow_factory, "visitor-1", channel="webchat")
    [pushed] = await queue(uow_factory, "101")
    dispatcher = make_dispatcher(uow_factory, sender, time)

    await dispatcher.run_once()

    [web, telegram] = await rows(uow_factory, [pulled, pushed])
    assert (web.status, web.attempts, web.lease_owner) == ("pending", 0, None)
    assert telegram.status == "sent"
    assert sender.delivered_ids() == [pushed]
