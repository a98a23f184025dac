"""A recording Telegram-like sender, a hand-moved monotonic clock, and helpers to drive sweeps.

The sender enforces the platform's limits with the Telegram stand-in's own RateLimiter, so
a dispatcher that passes here stays under the limits the stand-in (and Telegram) enforce.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.outbox import ChannelLimits, Delivery, Dispatcher, SendResult, SendStatus
from bot.tasks import TaskSupervisor
from bot.telegram.standin.limits import RateLimiter
from consultations import outbox
from handlers.messages import Reply
from storage.clock import FixedClock
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory

TELEGRAM = ChannelLimits(
    overall_per_second=30, per_chat_per_second=1, per_chat_burst=3,
    group_per_minute=20, broadcast_per_second=1000,
)
Fault = Callable[[Delivery], SendResult | None]
KEYS = itertools.count()


class FakeTime:
    """A monotonic clock that moves only when the dispatcher sleeps or a test advances it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingSender:
    """Accepts what the platform's limits allow, records it, and fails when told to."""

    channel = "telegram"
    limits = TELEGRAM

    def __init__(self, time: FakeTime, *, fault: Fault | None = None) -> None:
        self.platform = RateLimiter(clock=time)
        self.fault = fault
        self.script: dict[int, list[SendResult | Exception]] = {}
        self.calls: list[Delivery] = []
        self.delivered: list[Delivery] = []
        self.overlapping = 0  # the same row sent twice at the same time
        self.called = asyncio.Event()
        self.arrived = asyncio.Event()
        self.gate: asyncio.Event | None = None  # when set up, sends wait until it opens
        self._in_flight: set[int] = set()

    def answer(self, outbox_id: int, *results: SendResult | Exception) -> None:
        """Answer the next sends of one row with these results (or raise these), in order."""
        self.script.setdefault(outbox_id, []).extend(results)

    def is_group(self, recipient: str) -> bool:
        return recipient.startswith("-")

    async def send(self, delivery: Delivery) -> SendResult:
        self.calls.append(delivery)
        self.called.set()
        if delivery.outbox_id in self._in_flight:
            self.overlapping += 1
        self._in_flight.add(delivery.outbox_id)
        try:
            await asyncio.sleep(0)  # let other sends interleave, as on a network
            if self.gate is not None:
                await self.gate.wait()
            return self._answer(delivery)
        finally:
            self._in_flight.discard(delivery.outbox_id)

    def _answer(self, delivery: Delivery) -> SendResult:
        scripted = self.script.get(delivery.outbox_id)
        injected = scripted.pop(0) if scripted else self.fault and self.fault(delivery)
        if isinstance(injected, Exception):
            raise injected
        chat = int(delivery.recipient)
        if injected and injected.status is SendStatus.RATE_LIMITED:
            self.platform.told_to_wait(chat, int(injected.retry_after or 1))
        if injected and not injected.ambiguous:
            return injected
        granted = self.platform.acquire(chat, paid=bool(delivery.payload.get("broadcast")))
        if isinstance(granted, int):
            return SendResult(SendStatus.RATE_LIMITED, retry_after=granted, error="429")
        self.delivered.append(delivery)
        self.arrived.set()
        return injected or SendResult(SendStatus.SENT)

    def delivered_ids(self, recipient: str | None = None) -> list[int]:
        return [d.outbox_id for d in self.delivered if recipient in (None, d.recipient)]

    def duplicates(self) -> dict[int, int]:
        return {i: n for i, n in Counter(self.delivered_ids()).items() if n > 1}


def random_faults(rate: float, seed: int = 0) -> Fault:
    """Fail `rate` of the sends with 429, 5xx or an ambiguous time-out; the same every run."""

    def fault(delivery: Delivery) -> SendResult | None:
        draw = random.Random(f"{seed}:{delivery.outbox_id}:{delivery.attempt}")
        if draw.random() >= rate:
            return None
        return draw.choice([
            SendResult(SendStatus.RATE_LIMITED, retry_after=1, error="429"),
            SendResult(SendStatus.RETRY, error="502 bad gateway"),
            SendResult(SendStatus.RETRY, error="timeout", ambiguous=True),
        ])

    return fault


def make_dispatcher(
    uow_factory: UnitOfWorkFactory, sender: RecordingSender, time: FakeTime, **options: Any
) -> Dispatcher:
    """Back-off shrunk and every clock and die injected, so runs are fast and repeatable."""
    settings: dict[str, Any] = {
        "tasks": TaskSupervisor(), "base_backoff": 0.5, "max_backoff": 2.0,
        "rng": random.Random(7), "lease_seconds": 600.0, "clock": time, "sleep": time.sleep,
    }
    settings.update(options)
    return Dispatcher(uow_factory, {"telegram": sender}, **settings)


async def queue(
    uow_factory: UnitOfWorkFactory, recipient: str, count: int = 1, *,
    channel: str = "telegram", participant_id: int | None = None, broadcast: bool = False,
) -> list[int]:
    """Queue `count` replies for one recipient in one transaction; returns their ids."""
    ids: list[int] = []
    async with uow_factory() as uow:
        for _ in range(count):
            payload = Reply(f"tin nhắn {len(ids) + 1}").to_payload()
            if broadcast:
                payload["broadcast"] = True
            key = f"test:{channel}:{recipient}:{next(KEYS)}"
            row = await outbox.enqueue(uow, channel=channel, recipient=recipient,
                                       payload=payload, dedupe_key=key,
                                       participant_id=participant_id)
            assert row is not None
            ids.append(row.id)
        await uow.commit()
    return ids


async def unfinished(uow_factory: UnitOfWorkFactory, channel: str = "telegram") -> int:
    async with uow_factory() as uow:
        count = await uow.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.channel == channel,
                OutboxMessage.status.in_(("pending", "sending")),
            )
        )
    return int(count or 0)


async def drain(
    dispatchers: list[Dispatcher], uow_factory: UnitOfWorkFactory, clock: FixedClock,
    time: FakeTime, *, step: float = 2.0, rounds: int = 200,
) -> int:
    """Sweep (all dispatchers at once) and move both clocks until nothing is left to send."""
    for done in range(rounds):
        await asyncio.gather(*(d.run_once() for d in dispatchers))
        if not await unfinished(uow_factory):
            return done + 1
        clock.advance(timedelta(seconds=step))
        time.advance(step)
    raise AssertionError(f"rows still unsent after {rounds} sweeps")


async def rows(uow_factory: UnitOfWorkFactory, ids: list[int]) -> list[OutboxMessage]:
    """The rows as stored, read through a fresh session."""
    async with uow_factory() as uow:
        found = await uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
        )
        return list(found)
