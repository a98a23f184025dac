"""Marks sent rows in batches: one short transaction for many sends, not one for each.

At a thousand messages a second a transaction per sent row cost more than the send itself
(BEGIN, a connection check, the UPDATE, COMMIT, each a round trip): the profile of the
broadcast benchmark had recording at half the dispatcher's time. Rows sent within a few
milliseconds of each other are now written by one UPDATE.

A row stays "sending" under our lease until its batch is written, so no other process can
take it meanwhile, and the batch is written at most `max_delay` after its first row, far
inside the lease; each caller still learns whether its row was still ours. The price is
paid only by a crash (kill -9, power): the rows of the unwritten batch are sent again when
their lease runs out, as the sends in flight always were. At 1,000 messages a second,
20 ms adds about 20 rows to that exposure; the broadcast benchmark counts them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from consultations import delivery
from storage.uow import UnitOfWorkFactory


class RecordingCancelled(Exception):
    """The batch this row was in was never written (the dispatcher was cancelled)."""


@dataclass(frozen=True)
class _Sent:
    outbox_id: int
    owner: str
    kept: asyncio.Future[bool]


class SentRecorder:
    """Collects sent rows and writes them together; the first row of a batch writes it.

    `in_flight` tells how many sends still wait for their answer: while there are some,
    the batch waits up to `max_delay` for them.
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        max_rows: int = 500,
        max_delay: float = 0.02,
        in_flight: Callable[[], int] = lambda: 0,
    ) -> None:
        self._uows = uow_factory
        self._max_rows, self._max_delay, self._in_flight = max_rows, max_delay, in_flight
        self._batch: list[_Sent] = []
        self._full = asyncio.Event()

    async def mark_sent(self, outbox_id: int, owner: str) -> bool:
        """Record one delivered row; False when its lease was lost (another process has it).

        Raises what the database raised when the batch could not be written.
        """
        sent = _Sent(outbox_id, owner, asyncio.get_running_loop().create_future())
        self._batch.append(sent)
        if len(self._batch) >= self._max_rows:
            self._full.set()
        if len(self._batch) == 1:
            await self._lead()
        return await sent.kept

    async def _lead(self) -> None:
        """Wait for company, then write the batch and answer everyone in it.

        Company is only waited for while other sends are in flight (they may join) and the
        batch is not full; a lone reply is written at once.
        """
        try:
            if self._in_flight() > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._full.wait(), self._max_delay)
        except asyncio.CancelledError:
            self._abandon(self._take())
            raise
        batch = self._take()
        try:
            kept = await self._write(batch)
        except asyncio.CancelledError:
            self._abandon(batch)
            raise
        except Exception as error:
            _fail(batch, error)
            return
        for sent in batch:
            if not sent.kept.done():
                sent.kept.set_result(sent.outbox_id in kept)

    def _take(self) -> list[_Sent]:
        batch, self._batch = self._batch, []
        self._full.clear()
        return batch

    @staticmethod
    def _abandon(batch: list[_Sent]) -> None:
        """Cancelled mid-way: the others learn their rows were not recorded (leases run out)."""
        if batch:
            batch[0].kept.cancel()  # the leader's own: it is being cancelled anyway
            _fail(batch, RecordingCancelled("the dispatcher stopped before the batch was written"))

    async def _write(self, batch: list[_Sent]) -> set[int]:
        async with self._uows() as uow:
            kept = await delivery.mark_sent_many(
                uow, [(sent.outbox_id, sent.owner) for sent in batch]
            )
            await uow.commit()
            return kept


def _fail(batch: list[_Sent], error: BaseException) -> None:
    for sent in batch:
        if not sent.kept.done():
            sent.kept.set_exception(error)
