"""Handles the Zalo events the webhook recorded: after its 200, and after a restart.

One loop sweeps ``inbound_events`` for unhandled "zalo" rows (woken by the webhook, and
every few seconds), each user's events in order, different users side by side. One
event is one transaction: waiting messages released, staff command or citizen flow,
the event marked handled; then the dispatcher is woken. A failing event is retried
with back-off; one that keeps failing for a reason other than the database is given up
after a few tries (logged), so it cannot hold its user's later events forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.context import AppContext
from bot.zalo import render
from bot.zalo.events import CHANNEL, BadEvent, Meaning, ZaloEvent, classify, read
from consultations import delivery, events, outbox
from consultations.events import RecordedEvent
from handlers.dispatch import dispatch
from handlers.messages import Inbound, Reply
from handlers.staff import handle_staff
from handlers.texts import locale_of, t
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_FAILURES = 5
MAX_BACKOFF_S = 300.0
TRANSIENT = (OperationalError, InterfaceError)  # the database, not the event


class Inbox:
    """The background handler of recorded Zalo events (one per process)."""

    def __init__(
        self, ctx: AppContext, *, batch: int = 100, poll_interval: float = 5.0,
        concurrency: int | None = None,
    ) -> None:
        self.ctx, self.batch, self.poll_interval = ctx, batch, poll_interval
        self.handled = 0  # events finished since start (handled, or given up)
        if concurrency is None:  # SQLite has one writer: more at once only queue for it
            concurrency = 1 if ctx.engine.dialect.name == "sqlite" else 8
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._failures: dict[int, int] = {}
        self._not_before: dict[int, float] = {}

    def start(self) -> None:
        self.ctx.tasks.spawn("zalo-inbox", self._loop())

    def wake(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                taken, handled = await self._sweep()
                if taken >= self.batch and handled:
                    continue  # a full batch, and progress: more is probably waiting
            except Exception:  # the database away: the next poll tries again
                log.exception("Zalo inbox sweep failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)

    async def run_once(self) -> int:
        """One sweep over what is recorded and due; returns how many events it handled."""
        return (await self._sweep())[1]

    async def _sweep(self) -> tuple[int, int]:
        """(records taken, events handled): a batch held back by failures is no progress."""
        before = self.handled
        async with self.ctx.uow() as uow:
            records = await events.unprocessed(uow, CHANNEL, limit=self.batch)
        queues: dict[str, list[RecordedEvent]] = {}
        for record in records:
            queues.setdefault(_user_key(record), []).append(record)
        await asyncio.gather(*(self._user_queue(queue) for queue in queues.values()))
        return len(records), self.handled - before

    async def _user_queue(self, records: list[RecordedEvent]) -> None:
        """One user's events strictly in order: a failed one holds those behind it."""
        for record in records:
            if time.monotonic() < self._not_before.get(record.id, 0.0):
                return
            if not await self._handle(record):
                return

    async def _handle(self, record: RecordedEvent) -> bool:
        try:
            event = read(record.payload)
        except BadEvent as error:  # the webhook checks this; only a hand-made row gets here
            log.warning("Zalo event record %d dropped: %s", record.id, error)
            return await self._finish(record)
        try:
            async with self.ctx.metrics.flow(CHANNEL), self._slots, \
                    self.ctx.locks.hold(f"{CHANNEL}:{event.user}"), self.ctx.uow() as uow:
                await self._apply(uow, event, record)
                await events.mark_processed(uow, record.id)
                await uow.commit()
        except Exception as error:
            return await self._failed(record, error)
        self._done(record)
        self.ctx.wake_dispatcher()
        return True

    async def _apply(self, uow: UnitOfWork, event: ZaloEvent, record: RecordedEvent) -> None:
        """Everything one event changes, in the caller's transaction."""
        if event.from_user and event.user is not None:
            if await delivery.release_waiting(uow, CHANNEL, event.user):
                log.info("Zalo user wrote again: waiting messages released")
            await delivery.set_reachable(uow, CHANNEL, event.user, True)
        meaning = classify(event, record.payload)
        await self._act(uow, meaning, event)

    async def _act(self, uow: UnitOfWork, meaning: Meaning, event: ZaloEvent) -> None:
        if meaning.unfollow and event.user is not None:
            await delivery.set_reachable(uow, CHANNEL, event.user, False)
            return
        if meaning.staff is not None and await handle_staff(uow, meaning.staff) is not None:
            return
        if meaning.citizen is None:
            return
        inbound = await _numbered_choice(uow, meaning.citizen)
        if self.ctx.flood.allow(f"{CHANNEL}:{inbound.user_ref}") > 0:
            await _slow_down(uow, inbound)
        else:
            await dispatch(uow, inbound, self.ctx.flow_settings)

    async def _failed(self, record: RecordedEvent, error: Exception) -> bool:
        """Back off; give an event up after MAX_FAILURES failures not caused by the database."""
        failures = self._failures.get(record.id, 0) + (0 if isinstance(error, TRANSIENT) else 1)
        self._failures[record.id] = failures
        if failures >= MAX_FAILURES:
            log.error("Zalo event record %d failed %d times; given up", record.id, failures,
                      exc_info=error)
            with contextlib.suppress(Exception):
                return await self._finish(record)
            return False
        log.warning("Zalo event record %d failed (%s); will retry", record.id,
                    type(error).__name__, exc_info=not isinstance(error, TRANSIENT))
        delay = min(MAX_BACKOFF_S, 2.0 ** max(failures, 1))
        self._not_before[record.id] = time.monotonic() + delay
        return False

    async def _finish(self, record: RecordedEvent) -> bool:
        async with self.ctx.uow() as uow:
            await events.mark_processed(uow, record.id)
            await uow.commit()
        self._done(record)
        return True

    def _done(self, record: RecordedEvent) -> None:
        """Handled, or given up: either way finished, and counted in `handled`."""
        self.handled += 1
        self._failures.pop(record.id, None)
        self._not_before.pop(record.id, None)


def _user_key(record: RecordedEvent) -> str:
    try:
        return read(record.payload).user or ""
    except BadEvent:
        return ""


async def _numbered_choice(uow: UnitOfWork, inbound: Inbound) -> Inbound:
    """A typed number picks from the numbered choices of the last message we sent them."""
    if inbound.text is None or inbound.action is not None:
        return inbound
    last = await outbox.history(uow, CHANNEL, inbound.user_ref, limit=1)
    action = render.pick(last[-1].payload, inbound.text) if last else None
    return dataclasses.replace(inbound, action=action, text=None) if action else inbound


async def _slow_down(uow: UnitOfWork, inbound: Inbound) -> None:
    """One polite notice per ten seconds to a flooding user; the flood itself is dropped."""
    window = int(uow.now().timestamp() // 10)
    await outbox.enqueue(
        uow, channel=CHANNEL, recipient=inbound.user_ref,
        payload=Reply(t(locale_of(inbound.locale_hint), "throttled")).to_payload(),
        dedupe_key=f"throttle:{CHANNEL}:{inbound.user_ref}:{window}",
    )
