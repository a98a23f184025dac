"""Sends the outbox on every push channel, within each channel's limits, in order per recipient.

A sweep claims due rows under a lease (consultations.delivery keeps the order and the
exclusion between processes), sends each recipient's rows one after another while different
recipients go concurrently. Sent rows are recorded in batches (bot/outbox/recorder.py), every
other outcome in its own short transaction. The loop runs a sweep on every wake() (a commit
queued replies) or poll, and lets a second sweep start while a long one (a broadcast) is
still sending, so a reply never waits behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from bot.outbox.limits import ChannelLimiter, Ticket
from bot.outbox.recorder import SentRecorder
from bot.outbox.sender import ChannelSender, Delivery, SendResult, SendStatus
from bot.tasks import TaskSupervisor
from consultations import delivery
from consultations.delivery import ClaimedRow
from storage.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class DispatchStats:
    """Counters since start, for tests, benchmarks and the admin page (rows, not messages)."""

    sent: int = 0
    retried: int = 0
    rate_limited: int = 0
    dead: int = 0
    unreachable: int = 0
    ambiguous: int = 0
    waiting: int = 0
    sweeps: int = 0


class Dispatcher:
    """The outbox's only sender; several may run against one PostgreSQL database."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        senders: Mapping[str, ChannelSender],
        *,
        tasks: TaskSupervisor,
        max_attempts: int = 8,
        base_backoff: float = 1.0,
        max_backoff: float = 300.0,
        batch: int = 200,
        poll_interval: float = 1.0,
        rng: random.Random | None = None,
        concurrency: int = 32,
        lease_seconds: float = 60.0,
        max_throttled: int = 50,
        max_wait: float = 2.0,
        max_sweeps: int = 2,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.stats = DispatchStats()
        self._uows, self._senders, self._tasks = uow_factory, dict(senders), tasks
        self._max_attempts, self._max_throttled = max_attempts, max_throttled
        self._base_backoff, self._max_backoff = base_backoff, max_backoff
        self._batch, self._poll_interval, self._lease = batch, poll_interval, lease_seconds
        self._max_wait, self._max_sweeps = max_wait, max_sweeps
        self._rng = rng or random.Random()
        self._clock, self._sleep = clock, sleep
        self._limiters = {
            name: ChannelLimiter(sender.limits, clock=clock) for name, sender in senders.items()
        }
        self._slots = asyncio.Semaphore(concurrency)
        self._sending = 0  # sends waiting for the platform's answer
        self._wakes = 0
        self._recorder = SentRecorder(uow_factory, in_flight=lambda: self._sending)
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[Any] | None = None
        self._taken: set[asyncio.Task[int]] = set()  # sending rows handed over by take()

    def start(self) -> None:
        """Run the loop in the background until stop(); a second call does nothing."""
        if self._task is None or self._task.done():
            self._stopping.clear()
            self._task = self._tasks.spawn("outbox-dispatcher", self._loop())

    @property
    def channels(self) -> list[str]:
        return list(self._senders)

    @property
    def lease_seconds(self) -> float:
        return self._lease

    def accepting(self) -> bool:
        """Whether rows leased for this dispatcher (take) will be sent now."""
        return self._task is not None and not self._task.done() and not self._stopping.is_set()

    def take(self, rows: list[ClaimedRow]) -> None:
        """Send rows that were leased to this process in the transaction that queued them
        (consultations.delivery.lease_queued): the same as claimed rows, without the claim.

        A reply at a quiet hour cost a whole claim transaction (four statements) besides
        the one that queued it; handed over, it goes out as soon as its event is committed.
        Rows handed to a dispatcher that has stopped meanwhile wait for their lease to run
        out, then any process claims them.
        """
        if not self.accepting():
            return
        queues: dict[tuple[str, str], list[ClaimedRow]] = {}
        for row in rows:
            queues.setdefault((row.channel, row.recipient), []).append(row)
        task = asyncio.create_task(self._send_taken(list(queues.values()), self._clock()))
        self._taken.add(task)
        task.add_done_callback(self._taken.discard)

    async def _send_taken(self, queues: list[list[ClaimedRow]], claimed_at: float) -> int:
        wakes = self._wakes
        done = await asyncio.gather(*(self._send_queue(q, claimed_at) for q in queues))
        if self._wakes != wakes:
            # A row queued meanwhile behind one of these could not be claimed then; now it can.
            self.wake()
        return sum(done)

    def wake(self) -> None:
        """Replies were just committed: sweep now rather than at the next poll."""
        self._wakes += 1
        self._wake.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Finish the sends in flight, give back what was claimed but not tried, end the loop.

        After `grace` seconds the loop is cancelled; its leased rows come back when the
        lease runs out.
        """
        self._stopping.set()
        self._wake.set()
        task, self._task = self._task, None
        tasks = set(self._taken) | ({task} if task is not None else set())
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=grace)
        for unfinished in pending:
            unfinished.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def run_once(self) -> int:
        """One sweep: claim due rows and send what the limits allow; returns rows finished."""
        finished, _claimed = await self._sweep()
        return finished

    async def _loop(self) -> None:
        sweeps = asyncio.Semaphore(self._max_sweeps)
        async with asyncio.TaskGroup() as group:
            while not self._stopping.is_set():
                await sweeps.acquire()
                self._wake.clear()
                group.create_task(self._guarded_sweep(sweeps))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_interval)

    async def _guarded_sweep(self, sweeps: asyncio.Semaphore) -> None:
        """A failed sweep (database away) is logged; the next poll tries again."""
        try:
            if self._stopping.is_set():
                return
            wakes = self._wakes
            finished, claimed = await self._sweep()
            if claimed < self._batch and finished and self._wakes != wakes:
                # Woken while this sweep held rows: a reply queued behind one of them could
                # not be claimed then, and can now.
                self.wake()
        except Exception:
            log.exception("outbox sweep failed")
        finally:
            sweeps.release()

    async def _sweep(self) -> tuple[int, int]:
        rows = await self._in_uow(
            delivery.claim_due, list(self._senders), lease_seconds=self._lease, limit=self._batch
        )
        if len(rows) >= self._batch:
            # A full batch: more is probably due. The next sweep claims it while this one
            # sends, so sending never pauses for a claim (a broadcast lost a tenth of its
            # time to that).
            self.wake()
        queues: dict[tuple[str, str], list[ClaimedRow]] = {}
        for row in rows:
            queues.setdefault((row.channel, row.recipient), []).append(row)
        claimed_at = self._clock()
        done = await asyncio.gather(*(self._send_queue(q, claimed_at) for q in queues.values()))
        self.stats.sweeps += 1
        return sum(done), len(rows)

    async def _in_uow(
        self, use: Callable[Concatenate[UnitOfWork, P], Awaitable[T]],
        *args: P.args, **kwargs: P.kwargs,
    ) -> T:
        """Each claim and each outcome other than "sent" is its own short transaction."""
        async with self._uows() as uow:
            result = await use(uow, *args, **kwargs)
            await uow.commit()
            return result

    async def _send_queue(self, rows: list[ClaimedRow], claimed_at: float) -> int:
        """One recipient's rows strictly in order; what cannot go now is given back."""
        finished = 0
        for index, row in enumerate(rows):
            try:
                count, go_on = await self._send_one(row, claimed_at)
                finished += count
                if not go_on:
                    rest = [later.id for later in rows[index + 1 :]]
                    if rest:
                        await self._in_uow(delivery.release, rest, row.lease_owner)
                    break
            except Exception:  # the database went away: the leases run out, a sweep resumes
                log.exception("outbox %d on %s: recording the outcome failed", row.id, row.channel)
                break
        return finished

    async def _send_one(self, row: ClaimedRow, claimed_at: float) -> tuple[int, bool]:
        """Send one row when its turn comes; (rows finished, whether its followers may go)."""
        sender, limiter = self._senders[row.channel], self._limiters[row.channel]
        group = sender.is_group(row.recipient)
        turn = await self._turn(limiter, row, group, claimed_at)
        if not isinstance(turn, Ticket):
            if turn > 0:  # our own limit says later: put it off without counting a try
                await self._in_uow(
                    delivery.mark_retry, row.id, row.lease_owner, delay=turn, error=None,
                    counted=False,
                )
            else:
                await self._in_uow(delivery.release, [row.id], row.lease_owner)
            return 0, False
        try:
            result = await self._call(sender, row)
        finally:
            limiter.done(turn)
        return await self._record(row, result, limiter)

    async def _turn(
        self, limiter: ChannelLimiter, row: ClaimedRow, group: bool, claimed_at: float
    ) -> Ticket | float:
        """A ticket once the limits allow; else seconds to put the row off (0.0: give back).

        A row is only started in the first half of its lease, so the send ends before
        another process may take the row over.
        """
        broadcast = bool(row.payload.get("broadcast"))
        while True:
            if self._stopping.is_set() or self._clock() - claimed_at > self._lease / 2:
                return 0.0
            wait = limiter.delay(row.recipient, group=group, broadcast=broadcast)
            if wait <= 0:
                return limiter.take(row.recipient, group=group)
            if wait > self._max_wait:
                return wait
            await self._sleep(wait)

    async def _call(self, sender: ChannelSender, row: ClaimedRow) -> SendResult:
        attempt = row.attempts + row.throttled_count + 1
        message = Delivery(row.id, row.channel, row.recipient, row.payload, attempt)
        async with self._slots:
            self._sending += 1
            try:
                return await sender.send(message)
            except Exception as error:  # a sender bug must not stop the channel
                name = type(error).__name__
                log.warning("outbox %d on %s: sender raised %s", row.id, row.channel, name)
                return SendResult(SendStatus.RETRY, error=f"sender raised {name}")
            finally:
                self._sending -= 1

    async def _record(
        self, row: ClaimedRow, result: SendResult, limiter: ChannelLimiter
    ) -> tuple[int, bool]:
        """Store the outcome; the followers go on after a final outcome, not after a retry."""
        owner = row.lease_owner
        if result.status is SendStatus.SENT:
            kept = await self._recorder.mark_sent(row.id, owner)
            if not kept:  # only if a send outlived half the lease: the row may go twice
                log.warning("outbox %d on %s: sent after its lease was lost", row.id, row.channel)
            self.stats.sent += kept
            return int(kept), kept
        if result.status is SendStatus.UNREACHABLE:
            closed = await self._in_uow(
                delivery.mark_unreachable, row.id, owner, error=result.error or "unreachable"
            )
            self.stats.unreachable += closed
            return closed, False
        if result.status is SendStatus.DEFERRED:
            return await self._park(row, result)
        if result.status is SendStatus.RATE_LIMITED:
            return await self._throttled(row, result, limiter)
        if result.status is SendStatus.RETRY:
            return await self._retry(row, result)
        return await self._dead(row, result.error or "failed")

    async def _park(self, row: ClaimedRow, result: SendResult) -> tuple[int, bool]:
        """Only the recipient writing again lets it through: their queue waits for the bridge."""
        parked = await self._in_uow(
            delivery.mark_waiting, row.id, row.lease_owner, error=result.error or "deferred"
        )
        self.stats.waiting += parked
        return parked, False

    async def _throttled(
        self, row: ClaimedRow, result: SendResult, limiter: ChannelLimiter
    ) -> tuple[int, bool]:
        """429: hold the recipient (or channel); not a failed try, but not forever either."""
        retry_after = result.retry_after if result.retry_after is not None else 1.0
        limiter.hold(retry_after, None if result.scope == "channel" else row.recipient)
        self.stats.rate_limited += 1
        if row.throttled_count + 1 >= self._max_throttled:
            return await self._dead(row, "rate limited too often")
        await self._in_uow(
            delivery.mark_retry, row.id, row.lease_owner, delay=retry_after,
            error=result.error or "rate limited", counted=False, throttled=True,
        )
        return 0, False

    async def _retry(self, row: ClaimedRow, result: SendResult) -> tuple[int, bool]:
        """Transient: back off with full jitter, dead-letter after max_attempts."""
        error = result.error or "transient error"
        if result.ambiguous:
            self.stats.ambiguous += 1
            error = f"{error} (ambiguous)"
        attempts = row.attempts + 1
        if attempts >= self._max_attempts:
            return await self._dead(row, error, ambiguous=result.ambiguous)
        cap = min(self._max_backoff, self._base_backoff * 2 ** min(attempts - 1, 32))
        await self._in_uow(
            delivery.mark_retry, row.id, row.lease_owner, delay=self._rng.uniform(0, cap),
            error=error, ambiguous=result.ambiguous,
        )
        self.stats.retried += 1
        return 0, False

    async def _dead(
        self, row: ClaimedRow, error: str, *, ambiguous: bool = False
    ) -> tuple[int, bool]:
        """Give up on the row; the recipient's later rows still go (they may be fine)."""
        kept = await self._in_uow(
            delivery.mark_dead, row.id, row.lease_owner, error=error, ambiguous=ambiguous
        )
        if kept:
            self.stats.dead += 1
            log.warning("outbox %d on %s dead-lettered", row.id, row.channel)
        return int(kept), kept
