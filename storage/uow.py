"""The unit of work: one session, one transaction, one clock, for one use case."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.clock import Clock, SystemClock


class UnitOfWork:
    """Everything one inbound event or admin action changes is committed together.

    Use it as `async with uow_factory() as uow: ...; await uow.commit()`; leaving
    the block without commit discards the changes.
    """

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        # Outbox rows queued in this unit of work (consultations.outbox counts them), so the
        # caller knows after the commit whether the dispatcher has anything new to send.
        self.queued_messages = 0

    def now(self) -> datetime:
        return self.clock.now()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    async def __aenter__(self) -> UnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back what was not committed but, unlike rollback(), does not
        # expire loaded objects, so values read in the block stay readable after it.
        await self.session.close()


class UnitOfWorkFactory:
    """Makes a fresh unit of work per use; never share one between tasks."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock | None = None):
        self.sessions = sessions
        self.clock: Clock = clock or SystemClock()

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.sessions(), self.clock)
