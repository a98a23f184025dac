"""Flood limits the stand-in enforces with a 429, so a bot is tested against them first.

Zalo publishes no numbers, only the code: 429 "Quota exceeded". The defaults here are the
ones the bridge assumes (bot/zalo_bot/sender.py): ten sending requests per second overall
(sliding one-second window) and one a second per chat with a burst of three (token bucket).
A well-behaved client never meets them; ``violations`` counts the times one did.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StandinLimits:
    """Limit settings; tests may shrink or disable them (``StandinLimits(enabled=False)``)."""

    enabled: bool = True
    overall_per_second: int = 10
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """Applies ``StandinLimits`` to sending requests and counts the refusals."""

    limits: StandinLimits = field(default_factory=StandinLimits)
    clock: Callable[[], float] = time.monotonic
    violations: int = field(default=0, init=False)
    _overall: deque[float] = field(default_factory=deque, init=False, repr=False)
    _chats: dict[str, _Bucket] = field(default_factory=dict, init=False, repr=False)

    def reset(self) -> None:
        self.violations = 0
        self._overall.clear()
        self._chats.clear()

    def admit(self, chat_id: str | None) -> bool:
        """Count one sending request; False (a violation) when it exceeds a limit."""
        if not self.limits.enabled:
            return True
        now = self.clock()
        while self._overall and self._overall[0] <= now - 1.0:
            self._overall.popleft()
        bucket = self._refill(chat_id, now) if chat_id is not None else None
        if len(self._overall) >= self.limits.overall_per_second or (
            bucket is not None and bucket.tokens < 1.0
        ):
            self.violations += 1
            return False
        self._overall.append(now)
        if bucket is not None:
            bucket.tokens -= 1.0
        return True

    def _refill(self, chat_id: str, now: float) -> _Bucket:
        burst = float(self.limits.per_chat_burst)
        bucket = self._chats.setdefault(chat_id, _Bucket(burst, now))
        elapsed = now - bucket.updated
        bucket.tokens = min(burst, bucket.tokens + elapsed * self.limits.per_chat_per_second)
        bucket.updated = now
        return bucket
