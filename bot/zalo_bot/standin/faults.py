"""Fault injection: the failures a bot meets on the Zalo Bot API, on demand and repeatably.

Each sending request may be answered with a 500, a gateway's 502 page, an unprovoked 429,
a 403, or a time-out. The time-out is the interesting one: the stand-in performs the call
(the message *is* recorded as sent) but holds the answer longer than the client waits, so
the client cannot know whether Zalo received it. Chats in ``blocked_chats`` always get 403.
Faults come from seeded probabilities, or exactly from ``force`` (a queue: the next requests
fail, or with None succeed, in that order).
"""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SENDING_METHODS = frozenset({"sendMessage", "sendPhoto", "sendSticker"})


class Fault(StrEnum):
    """Kinds of injected failure, also the keys of ``FaultInjector.counts``."""

    BLOCKED = "blocked"
    SERVER_ERROR = "server_error"
    BAD_GATEWAY = "bad_gateway"
    TOO_MANY_REQUESTS = "too_many_requests"
    TIMEOUT = "timeout"


@dataclass
class StandinFaults:
    """Fault probabilities (each 0..1, drawn in the order listed) and their parameters."""

    seed: int | None = 0
    server_error: float = 0.0
    bad_gateway: float = 0.0
    too_many_requests: float = 0.0
    timeout: float = 0.0
    timeout_hold_s: float = 30.0
    blocked_chats: set[str] = field(default_factory=set)
    methods: frozenset[str] = SENDING_METHODS

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "server_error": self.server_error,
            "bad_gateway": self.bad_gateway, "too_many_requests": self.too_many_requests,
            "timeout": self.timeout, "timeout_hold_s": self.timeout_hold_s,
            "blocked_chats": sorted(self.blocked_chats), "methods": sorted(self.methods),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StandinFaults:
        """From the control endpoint's JSON; missing keys take the defaults, unknown ones fail."""
        unknown = set(data) - set(cls().to_json())
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        return cls(
            seed=data.get("seed", 0),
            server_error=float(data.get("server_error", 0.0)),
            bad_gateway=float(data.get("bad_gateway", 0.0)),
            too_many_requests=float(data.get("too_many_requests", 0.0)),
            timeout=float(data.get("timeout", 0.0)),
            timeout_hold_s=float(data.get("timeout_hold_s", 30.0)),
            blocked_chats={str(chat) for chat in data.get("blocked_chats", [])},
            methods=frozenset(data.get("methods", SENDING_METHODS)),
        )


class FaultInjector:
    """Decides, per request, which fault (if any) to inject; counts what it injected."""

    def __init__(self, faults: StandinFaults | None = None) -> None:
        self.counts: Counter[str] = Counter()
        self.forced: deque[Fault | None] = deque()
        self.faults = StandinFaults()
        self._rng = random.Random(0)
        self.configure(faults or StandinFaults())

    def configure(self, faults: StandinFaults) -> None:
        """Replace the settings and reseed, so a run is repeatable from this point."""
        self.faults = faults
        self._rng = random.Random(faults.seed)

    def force(self, *faults: Fault | None) -> None:
        """The next sending requests fail exactly like this, in this order (None: succeed)."""
        self.forced.extend(faults)

    def decide(self, method: str, chat_id: str | None) -> Fault | None:
        """Pick the fault for one request (one RNG draw per eligible request)."""
        if method not in self.faults.methods:
            return None
        if chat_id is not None and chat_id in self.faults.blocked_chats:
            return self._count(Fault.BLOCKED)
        if self.forced:
            forced = self.forced.popleft()
            return None if forced is None else self._count(forced)
        draw = self._rng.random()
        for kind, probability in (
            (Fault.SERVER_ERROR, self.faults.server_error),
            (Fault.BAD_GATEWAY, self.faults.bad_gateway),
            (Fault.TOO_MANY_REQUESTS, self.faults.too_many_requests),
            (Fault.TIMEOUT, self.faults.timeout),
        ):
            if draw < probability:
                return self._count(kind)
            draw -= probability
        return None

    def _count(self, fault: Fault) -> Fault:
        self.counts[fault.value] += 1
        return fault
