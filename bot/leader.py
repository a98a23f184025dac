"""Which instance runs the scheduled jobs when several run on one PostgreSQL database.

Every instance tries to take one session-level advisory lock ("consultbot:scheduler") on
a connection of its own; the one that holds it leads. The others stand by and try again
every SCHEDULER_LOCK_RETRY_SECONDS (the "interval"). So:

* the leader's process dies (crash, kill -9, OOM): its socket closes, PostgreSQL ends
  the session and frees the lock, and a standby takes it at its next try;
* the leader's lock connection closes (the server restarted, an operator ran
  pg_terminate_backend): the leader hears it at once and stops its jobs; if the
  connection merely stops answering, its check at the next beat times out (after the
  interval, or 5 s if that is longer) and it steps down then;
* a new holder leads only after holding the lock for one whole interval and checking
  its connection again: by then a former leader whose connection closed has noticed,
  and one whose connection hangs keeps the lock until the server gives up on it, which
  takes longer than the leader's own check; so two instances never run jobs together.

Takeover after the leader dies therefore takes one to two intervals (5-10 s by default).
A leader whose machine vanishes without closing its socket is given up by the server
after its TCP keepalive (about 25 s, set on the lock connection: storage.advisory).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable

from storage.advisory import HeldLock

log = logging.getLogger(__name__)
SCHEDULER_LOCK = "consultbot:scheduler"
# A try or a check (a new connection among them) may take this long even when the interval
# is shorter: a busy database is not a lost one. Below the server's keepalive (about 25 s)
# with room to spare, so a leader cut off gives up before the server frees its lock.
PROBE_SECONDS_MIN = 5.0


def instance_label() -> str:
    """Host and process id: how logs and pg_stat_activity tell instances apart."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Leadership:
    """Holds or waits for the scheduler lock; says so through `leader` and two callbacks."""

    def __init__(
        self,
        url: str,
        *,
        retry_seconds: float,
        on_gain: Callable[[], Awaitable[None]],
        on_loss: Callable[[], Awaitable[None]],
        name: str = SCHEDULER_LOCK,
    ) -> None:
        self.label = instance_label()
        self._beat = asyncio.Event()  # set when the lock connection closes: check at once
        self.lock = HeldLock(
            url, name, application_name=f"consultbot scheduler {self.label}",
            on_closed=self._beat.set,
        )
        self.retry_seconds = retry_seconds
        self._on_gain, self._on_loss = on_gain, on_loss
        self.leader = False
        self._said_standby = False
        self._failing = False  # a failure is logged once, not on every beat of an outage

    async def run(self) -> None:
        """Try, hold and check the lock until cancelled; the lock is freed on the way out."""
        try:
            while True:
                await self.step()
                await self._until_next_beat()
        finally:
            await self._step_down(None)
            await self.lock.dispose()

    async def _until_next_beat(self) -> None:
        self._beat.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.retry_seconds):
                await self._beat.wait()

    async def step(self) -> None:
        """One beat: a standby tries to take the lock; a holder checks it still holds it,
        and leads from the first check after taking it."""
        if self.lock.held:
            if not await self._answers(self.lock.alive):
                await self._step_down("its database connection failed")
            elif not self.leader:
                self.leader = True
                self._said_standby = False
                log.info("scheduler leadership taken by %s: this instance runs the scheduled "
                         "jobs", self.label)
                await self._on_gain()
            return
        if await self._answers(self.lock.try_acquire):
            log.info("scheduler lock taken by %s; leading after one more check in %g s",
                     self.label, self.retry_seconds)
        elif not self._said_standby:
            self._said_standby = True
            log.info("scheduler standby on %s: another instance leads; trying every %g s",
                     self.label, self.retry_seconds)

    async def _answers(self, probe: Callable[[], Awaitable[bool]]) -> bool:
        """The probe's answer in time; a failure or no answer counts as False."""
        try:
            async with asyncio.timeout(max(self.retry_seconds, PROBE_SECONDS_MIN)):
                answer = await probe()
        except Exception as error:  # any database failure: not leading, drop and retry
            if not self._failing:
                log.warning("scheduler lock: the database did not answer %s (%s)",
                            self.label, type(error).__name__)
            self._failing = True
            await self._step_down("its database connection failed")
            return False
        self._failing = False
        return answer

    async def _step_down(self, reason: str | None) -> None:
        """Stop leading: jobs first, then the connection (which frees the lock if still held)."""
        try:
            if self.leader:
                self.leader = False
                if reason is not None:
                    log.warning("scheduler leadership lost by %s: %s; jobs stopped, standing by",
                                self.label, reason)
                else:
                    log.info("scheduler leadership released by %s", self.label)
                await self._on_loss()
        finally:
            await self.lock.drop()
