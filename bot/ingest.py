"""Group commit for inbound events: those that arrive together share one transaction.

Handling an event costs a few round trips to the database (record it, read the person,
save the dialog, queue the replies, commit), and under load those round trips, not the
flows, are what limits a process. Each webhook request hands its event here and waits;
a worker takes every event that is waiting (of different people, up to `max_batch`),
handles them with `dispatch_many` in one transaction and commits, then answers all the
requests. Nobody waits for a timer: an event that finds the worker idle goes alone,
while events that arrive during a commit are taken together by the next one.

The replies a batch queues are leased to this process's outbox dispatcher in the same
transaction and handed to it after the commit, so they go out without a claim
transaction of their own; replies that must wait behind earlier ones stay queued and
the dispatcher is woken for them, as for everything else a batch queued.

The contract with the platform does not change: a request is answered only after its
event is committed. If anything in a batch fails (a refused step, a database error),
the batch is rolled back and each of its events is handled again on its own, the way
it would have been without batching, so one event's failure is only its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.context import AppContext
from bot.outbox.dispatcher import Dispatcher
from consultations import delivery
from consultations.delivery import ClaimedRow
from handlers.dispatch import Outcome, dispatch, dispatch_many
from handlers.flows.context import FlowSettings
from handlers.messages import Inbound
from handlers.staff import StaffMessage, handle_staff
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
MAX_BATCH = 64


@dataclass
class _Waiting:
    inbound: Inbound
    answer: asyncio.Future[Outcome]


async def handled_as_staff_work(ctx: AppContext, staff: StaffMessage | None) -> bool:
    """A linked staff member's command (an answer, an outcome) is handled and committed on
    its own, before anything else; True if the message was one."""
    if staff is None:
        return False
    async with ctx.uow() as uow:
        if await handle_staff(uow, staff) is None:
            return False
        await uow.commit()
    return True


def batch_workers(ctx: AppContext) -> int:
    """SQLite has one writer, so one transaction at a time; PostgreSQL takes several."""
    return 1 if ctx.engine.dialect.name == "sqlite" else 4


class IngestBatcher:
    """Runs `dispatch` for events of one channel, several per transaction under load.

    Callers must not hand in two events of the same person at once (the bridges hold a
    per-chat lock while they wait): a person's second event depends on the first.
    """

    def __init__(
        self,
        uows: UnitOfWorkFactory,
        settings: FlowSettings,
        *,
        workers: int = 1,
        max_batch: int = MAX_BATCH,
        dispatcher: Callable[[], Dispatcher | None] = lambda: None,
    ) -> None:
        """`dispatcher` gives this process's outbox dispatcher once it runs (it starts after
        the bridges): the batch's replies are handed to it, or it is woken for them."""
        self._uows, self._settings, self._dispatcher = uows, settings, dispatcher
        self._workers, self._max_batch = workers, max_batch
        self._waiting: list[_Waiting] = []
        self._ready = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._closed = False
        self.batches = 0  # transactions committed, for tests and the benchmark's figures
        self.events = 0

    async def handle(self, inbound: Inbound) -> Outcome:
        """Handle the event; returns once it is committed (or raises, nothing committed)."""
        if self._closed:
            raise RuntimeError("the service is stopping")
        self._start()
        waiting = _Waiting(inbound, asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        self._ready.set()
        return await waiting.answer

    async def close(self) -> None:
        """Finish what was taken; what still waits is refused (the platform sends it again)."""
        self._closed = True
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for waiting in self._waiting:
            if not waiting.answer.done():
                waiting.answer.set_exception(RuntimeError("the service is stopping"))
        self._waiting.clear()

    def _start(self) -> None:
        while len(self._tasks) < self._workers:
            self._tasks.append(asyncio.create_task(self._work(), name="ingest-batcher"))

    async def _work(self) -> None:
        while True:
            await self._ready.wait()
            batch = self._take()
            if not batch:
                self._ready.clear()
                continue
            try:
                await self._run(batch)
            finally:  # a worker cancelled mid-batch must not leave requests hanging
                for waiting in batch:
                    if not waiting.answer.done():
                        waiting.answer.set_exception(RuntimeError("the service is stopping"))
            # Let whoever waits for a database connection take it first: SQLite has one, and
            # the pool hands a returned connection to the first to ask, which would be this
            # loop again; the outbox dispatcher would never get to send the replies.
            await asyncio.sleep(0)

    def _take(self) -> list[_Waiting]:
        batch, self._waiting = self._waiting[: self._max_batch], self._waiting[self._max_batch :]
        if not self._waiting:
            self._ready.clear()
        return [waiting for waiting in batch if not waiting.answer.done()]

    async def _run(self, batch: list[_Waiting]) -> None:
        dispatcher = self._dispatcher()
        lease_to = dispatcher if dispatcher is not None and dispatcher.accepting() else None
        taken: list[ClaimedRow] = []
        try:
            async with self._uows() as uow:
                result = await dispatch_many(uow, [w.inbound for w in batch], self._settings)
                if lease_to is not None:
                    taken = await delivery.lease_queued(
                        uow, result.outbox_ids, lease_to.channels,
                        lease_seconds=lease_to.lease_seconds,
                    )
                await uow.commit()
        except Exception as error:
            log.debug("a batch of %d failed (%s): its events go one by one",
                      len(batch), type(error).__name__)
            await self._one_by_one(batch)
            self._wake(True)
            return
        self._answer(batch, result.outcomes)
        if lease_to is not None and taken:
            lease_to.take(taken)
        self._wake(uow.queued_messages > len(taken))

    def _wake(self, needed: bool) -> None:
        """Rows were queued that nobody was handed: the dispatcher claims them."""
        dispatcher = self._dispatcher()
        if needed and dispatcher is not None:
            dispatcher.wake()

    async def _one_by_one(self, batch: list[_Waiting]) -> None:
        """After a failed batch: each event alone, with `dispatch`'s own error handling."""
        for waiting in batch:
            try:
                outcome = await self._alone(waiting.inbound)
            except Exception as error:
                if not waiting.answer.done():
                    waiting.answer.set_exception(error)
            else:
                self._answer([waiting], [outcome])

    async def _alone(self, inbound: Inbound) -> Outcome:
        async with self._uows() as uow:
            outcome = await dispatch(uow, inbound, self._settings)
            await uow.commit()
        return outcome

    def _answer(self, batch: list[_Waiting], outcomes: list[Outcome]) -> None:
        self.batches += 1
        self.events += len(batch)
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if not waiting.answer.done():
                waiting.answer.set_result(outcome)
