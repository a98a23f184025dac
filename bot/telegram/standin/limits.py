"""Telegram's flood limits, so a bot can be tested against them before meeting them live.

Modelled on https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this:

* about 30 messages per second overall (sliding 1-second window), 1000/s for requests that set
  ``allow_paid_broadcast``;
* about one message per second in a private chat, with a small burst allowance (token bucket);
* 20 messages per minute in a group or supergroup (negative chat ids; sliding window).

A refusal carries ``retry_after`` (whole seconds, at least 1) for the tightest limit hit. The
limiter also remembers, per chat, until when the client was told to wait: a request that arrives
earlier is refused again and counted in ``retry_after_ignored``, as Telegram punishes it too.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["RateLimiter", "Reservation", "StandinLimits"]


@dataclass(frozen=True, slots=True)
class StandinLimits:
    """Limit settings; tests shrink or disable them (``StandinLimits(enabled=False)``)."""

    enabled: bool = True
    global_per_window: int = 30
    paid_per_window: int = 1000
    global_window_s: float = 1.0
    private_burst: int = 3
    private_per_second: float = 1.0
    group_per_window: int = 20
    group_window_s: float = 60.0
    retry_after_grace_s: float = 0.05


@dataclass(slots=True)
class _Bucket:
    """Token bucket state of one private chat."""

    tokens: float
    updated: float


@dataclass(slots=True)
class Reservation:
    """What an accepted request consumed, so a request refused later (400) can give it back."""

    stamp: float
    chat_id: int | None
    took_token: bool = False
    group_stamp: bool = False


def _window_wait(stamps: deque[float], limit: int, window: float, now: float) -> float | None:
    """Seconds until a sliding window has room for one more entry, None if it has room now."""
    while stamps and stamps[0] <= now - window:
        stamps.popleft()
    if len(stamps) < limit:
        return None
    if limit <= 0:
        return window
    return stamps[len(stamps) - limit] + window - now


@dataclass(slots=True)
class RateLimiter:
    """Applies ``StandinLimits`` to sending requests and keeps the violation counters."""

    limits: StandinLimits = field(default_factory=StandinLimits)
    clock: Callable[[], float] = time.monotonic
    violations: int = field(default=0, init=False)
    retry_after_ignored: int = field(default=0, init=False)
    _global: deque[float] = field(default_factory=deque, init=False, repr=False)
    _private: dict[int, _Bucket] = field(default_factory=dict, init=False, repr=False)
    _groups: dict[int, deque[float]] = field(default_factory=dict, init=False, repr=False)
    _told_until: dict[int | None, float] = field(default_factory=dict, init=False, repr=False)

    def reset(self) -> None:
        """Forget all traffic and counters (``POST /_standin/reset``)."""
        self.violations = 0
        self.retry_after_ignored = 0
        self._global.clear()
        self._private.clear()
        self._groups.clear()
        self._told_until.clear()

    def told_to_wait(self, chat_id: int | None, retry_after: int) -> None:
        """Remember a retry_after given for this chat (also used for injected 429s)."""
        until = self.clock() + retry_after
        self._told_until[chat_id] = max(until, self._told_until.get(chat_id, 0.0))

    def _flood_wait(self, chat_id: int | None, now: float) -> int | None:
        """If the client comes back before its retry_after elapsed, refuse and count it."""
        until = self._told_until.get(chat_id)
        if until is None:
            return None
        if now + self.limits.retry_after_grace_s >= until:
            del self._told_until[chat_id]
            return None
        self.retry_after_ignored += 1
        return max(1, math.ceil(until - now))

    def _private_wait(self, chat_id: int, now: float) -> float | None:
        """Token-bucket check for a private chat; refills lazily."""
        limits = self.limits
        bucket = self._private.get(chat_id)
        if bucket is None:
            bucket = self._private[chat_id] = _Bucket(float(limits.private_burst), now)
        elapsed = now - bucket.updated
        bucket.tokens = min(
            float(limits.private_burst), bucket.tokens + elapsed * limits.private_per_second
        )
        bucket.updated = now
        if bucket.tokens >= 1.0:
            return None
        if limits.private_per_second <= 0:
            return 60.0
        return (1.0 - bucket.tokens) / limits.private_per_second

    def _waits(self, chat_id: int | None, paid: bool, now: float) -> list[float]:
        """Time to wait for every limit that currently refuses this request."""
        limits = self.limits
        cap = limits.paid_per_window if paid else limits.global_per_window
        waits = [_window_wait(self._global, cap, limits.global_window_s, now)]
        if chat_id is not None and chat_id > 0:
            waits.append(self._private_wait(chat_id, now))
        elif chat_id is not None and chat_id < 0:
            stamps = self._groups.setdefault(chat_id, deque())
            waits.append(_window_wait(stamps, limits.group_per_window, limits.group_window_s, now))
        return [wait for wait in waits if wait is not None]

    def acquire(self, chat_id: int | None, *, paid: bool = False) -> Reservation | int:
        """Consume capacity for one sending request, or return the retry_after to answer."""
        now = self.clock()
        flood = self._flood_wait(chat_id, now)
        if flood is not None:
            self.violations += 1
            return flood
        if not self.limits.enabled:
            return Reservation(stamp=now, chat_id=chat_id)
        waits = self._waits(chat_id, paid, now)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            self.violations += 1
            self.told_to_wait(chat_id, retry_after)
            return retry_after
        return self._consume(chat_id, now)

    def _consume(self, chat_id: int | None, now: float) -> Reservation:
        """Record an accepted request in every limit that applies to it."""
        self._global.append(now)
        reservation = Reservation(stamp=now, chat_id=chat_id)
        if chat_id is not None and chat_id > 0:
            self._private[chat_id].tokens -= 1.0
            reservation.took_token = True
        elif chat_id is not None and chat_id < 0:
            self._groups[chat_id].append(now)
            reservation.group_stamp = True
        return reservation

    def release(self, reservation: Reservation) -> None:
        """Give capacity back for a request that was refused after acquiring (e.g. 400)."""
        if not self.limits.enabled:
            return
        if reservation.stamp in self._global:
            self._global.remove(reservation.stamp)
        chat_id = reservation.chat_id
        if reservation.took_token and chat_id is not None and chat_id in self._private:
            bucket = self._private[chat_id]
            bucket.tokens = min(float(self.limits.private_burst), bucket.tokens + 1.0)
        stamps = self._groups.get(chat_id) if chat_id is not None else None
        if reservation.group_stamp and stamps is not None and reservation.stamp in stamps:
            stamps.remove(reservation.stamp)
