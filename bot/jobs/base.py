"""What every scheduled job gets, and the one place that decides whether a job may run now.

Jobs take `JobDeps` (plain resources, no request or session), open their own units
of work, and return a one-line summary for the log and the CLI. Whether a run may
start is the `JobGuard`'s decision: in one process, a run of a job that is still
running is skipped (every job is a sweep, so the running one covers it). With
several instances on PostgreSQL, only the instance holding the scheduler lock
(bot.leader) runs jobs at all: `LeaderGuard` skips every run elsewhere, and inside
the leader the local rule still holds.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.context import AppContext
from storage.uow import UnitOfWorkFactory

# A digest period ends at its cron time; comments committed a moment later with an
# earlier time stamp would fall between two digests, so a run waits this long first.
SETTLE = timedelta(seconds=5)


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class JobDeps:
    """The resources a job uses; built from the runtime's context or by the CLI."""

    uow: UnitOfWorkFactory
    tz: ZoneInfo
    text_limits: Mapping[str, int] = field(default_factory=dict)
    wake: Callable[[], None] = _nothing
    settle: timedelta = SETTLE

    @classmethod
    def from_context(cls, ctx: AppContext) -> JobDeps:
        return cls(
            uow=ctx.uow,
            tz=ctx.settings.tz,
            text_limits=ctx.flow_settings.text_limits,
            wake=ctx.wake_dispatcher,
        )

    @property
    def tz_name(self) -> str:
        return self.tz.key


class JobGuard(Protocol):
    """Says whether a run of `name` may start now, and holds that right while it runs."""

    def hold(self, name: str) -> contextlib.AbstractAsyncContextManager[bool]: ...


class Leading(Protocol):
    """Something that knows whether this instance leads (bot.leader.Leadership)."""

    @property
    def leader(self) -> bool: ...


class LocalGuard:
    """One run per job name at a time in this process; an overlapping run is skipped."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        lock = self._locks.setdefault(name, asyncio.Lock())
        if lock.locked():
            yield False
            return
        async with lock:
            yield True


class LeaderGuard:
    """Runs only while this instance leads; one run per job name at a time, as LocalGuard.

    Checked when a run starts; a run in progress when leadership is lost is cancelled by
    the scheduler, so none starts new work after another instance has taken over.
    """

    def __init__(self, leading: Leading, local: LocalGuard | None = None) -> None:
        self._leading = leading
        self._local = local or LocalGuard()

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        if not self._leading.leader:
            yield False
            return
        async with self._local.hold(name) as mine:
            yield mine
