"""One channel's flood limits, kept on our side so the platform never has to refuse us.

The platform counts a request when it arrives, which we never see: somewhere between our
asking and its answer. So every request counts as in flight from the moment it is taken,
and stays in the sliding windows from the moment its answer came (not when it was asked),
and the per-chat token bucket (GCRA form) is advanced from the answer too. A platform that
enforces exactly ``ChannelLimits`` (bot/telegram/standin/limits.py) then never sees us over,
whatever the latency. A small margin covers clock granularity.

All time comes from an injected monotonic clock, so tests are deterministic.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.outbox.sender import ChannelLimits

GROUP_WINDOW_S = 60.0
BUSY_RECHECK_S = 0.01  # every slot is in flight: look again after this long
PRUNE_EVERY = 1000


@dataclass(frozen=True)
class Ticket:
    """Capacity taken for one send; hand it back to `done` when the answer came."""

    recipient: str
    group: bool


def _window(rate: float) -> tuple[int, float]:
    """A rate as a sliding window: 30/s is 30 per second, 0.5/s is 1 per two seconds."""
    if rate >= 1:
        return math.floor(rate), 1.0
    return 1, 1.0 / rate


def _window_delay(stamps: deque[float], in_flight: int, cap: int, span: float, now: float) -> float:
    """Seconds until one more request fits in a sliding window; 0 when it fits now."""
    while stamps and stamps[0] <= now - span:
        stamps.popleft()
    used = len(stamps) + in_flight
    if used < cap:
        return 0.0
    expire = used - cap + 1  # that many answered requests must leave the window first
    if expire > len(stamps):
        return BUSY_RECHECK_S
    return max(BUSY_RECHECK_S, stamps[expire - 1] + span - now)


class ChannelLimiter:
    """Overall, per-chat (with burst), per-group and broadcast limits of one channel."""

    def __init__(
        self,
        limits: ChannelLimits,
        *,
        clock: Callable[[], float] = time.monotonic,
        margin: float = 0.02,
    ) -> None:
        if min(limits.overall_per_second, limits.per_chat_per_second) <= 0:
            raise ValueError("rates must be positive; a channel without a limit has none to set")
        self.clock = clock
        self._overall = _window(limits.overall_per_second)
        broadcast = limits.broadcast_per_second or limits.overall_per_second
        self._broadcast = _window(max(broadcast, limits.overall_per_second))
        self._group_cap = limits.group_per_minute
        self._interval = 1.0 / limits.per_chat_per_second + margin
        self._tolerance = max(0, limits.per_chat_burst - 1) * self._interval
        self._margin = margin
        self._answered: deque[float] = deque()
        self._in_flight = 0
        self._tat: dict[str, float] = {}  # per chat: theoretical arrival time (GCRA)
        self._groups: dict[str, deque[float]] = {}
        self._group_in_flight: dict[str, int] = {}
        self._holds: dict[str, float] = {}
        self._channel_hold = 0.0
        self._taken = 0

    def delay(self, recipient: str, *, group: bool, broadcast: bool) -> float:
        """Seconds to wait before a message to `recipient` may go; 0.0 means now."""
        now = self.clock()
        cap, span = self._broadcast if broadcast else self._overall
        waits = [
            self._channel_hold - now,
            self._holds.get(recipient, 0.0) - now,
            self._tat.get(recipient, now) - self._tolerance - now,
            _window_delay(self._answered, self._in_flight, cap, span + self._margin, now),
        ]
        if group and self._group_cap is not None:
            stamps = self._groups.setdefault(recipient, deque())
            in_flight = self._group_in_flight.get(recipient, 0)
            span = GROUP_WINDOW_S + self._margin
            waits.append(_window_delay(stamps, in_flight, self._group_cap, span, now))
        return max(0.0, *waits)

    def take(self, recipient: str, *, group: bool) -> Ticket:
        """Count a send as in flight; call only right after `delay` answered 0.0."""
        now = self.clock()
        self._in_flight += 1
        self._tat[recipient] = max(now, self._tat.get(recipient, now)) + self._interval
        if group:
            self._group_in_flight[recipient] = self._group_in_flight.get(recipient, 0) + 1
        self._taken += 1
        if self._taken % PRUNE_EVERY == 0:
            self._prune(now)
        return Ticket(recipient, group)

    def done(self, ticket: Ticket) -> None:
        """The answer came (whatever it was): the platform has counted the request by now."""
        now = self.clock()
        self._in_flight -= 1
        self._answered.append(now)
        recipient = ticket.recipient
        self._tat[recipient] = max(self._tat.get(recipient, now), now + self._interval)
        if ticket.group:
            self._group_in_flight[recipient] -= 1
            self._groups.setdefault(recipient, deque()).append(now)

    def hold(self, seconds: float, recipient: str | None = None) -> None:
        """A 429 said wait: hold one recipient, or the whole channel when recipient is None."""
        until = self.clock() + seconds + self._margin
        if recipient is None:
            self._channel_hold = max(self._channel_hold, until)
        else:
            self._holds[recipient] = max(self._holds.get(recipient, 0.0), until)

    def _prune(self, now: float) -> None:
        """Forget chats whose state no longer limits anything, so memory stays bounded."""
        self._tat = {chat: tat for chat, tat in self._tat.items() if tat > now}
        self._holds = {chat: until for chat, until in self._holds.items() if until > now}
        for chat, stamps in list(self._groups.items()):
            idle = not stamps or stamps[-1] <= now - GROUP_WINDOW_S - self._margin
            if idle and not self._group_in_flight.get(chat):
                del self._groups[chat]
                self._group_in_flight.pop(chat, None)
