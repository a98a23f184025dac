"""Per-participant flood control and per-chat ordering, shared by every channel."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class FloodGuard:
    """A token bucket per user: bursts are fine, dozens of messages a second are not.

    Keeps at most `max_users` buckets (least recently used dropped), so a flood
    of distinct ids cannot grow memory without bound.
    """

    def __init__(self, burst: int = 10, rate: float = 2.0, max_users: int = 100_000) -> None:
        self.burst, self.rate, self.max_users = burst, rate, max_users
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, key: str, now: float | None = None) -> float:
        """0 when the message may pass, else the seconds to wait before the next one."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_users:
            self._buckets.popitem(last=False)
        return wait


class KeyedLocks:
    """One lock per chat, so one person's messages are handled in order."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
