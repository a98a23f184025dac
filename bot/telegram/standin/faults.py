"""Fault injection: the failures a bot meets on the real Bot API, on demand and repeatably.

Each sending request draws one number from a seeded RNG and may be answered with 500, 502,
an unprovoked 429, or a time-out. The time-out is the interesting one: the stand-in performs the
call (the message *is* sent and recorded) but holds the answer longer than the client waits, so
the client sees ``TimedOut`` without knowing whether Telegram received the message. Chats in
``blocked_chats`` always answer 403, as when a user blocked the bot.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["SENDING_METHODS", "Fault", "FaultInjector", "StandinFaults"]

SENDING_METHODS: frozenset[str] = frozenset(
    {"sendMessage", "sendDocument", "sendPhoto", "editMessageText"}
)
"""Methods that create or change messages: rate-limited, and subject to faults by default."""


class Fault(StrEnum):
    """Kinds of injected failure, also the keys of ``FaultInjector.counts``."""

    BLOCKED = "blocked"
    SERVER_ERROR = "server_error"
    BAD_GATEWAY = "bad_gateway"
    TOO_MANY_REQUESTS = "too_many_requests"
    TIMEOUT = "timeout"


@dataclass(slots=True)
class StandinFaults:
    """Fault probabilities (each 0..1, drawn in the order listed) and their parameters.

    ``methods`` lists the API methods faults apply to; ``None`` means ``SENDING_METHODS`` and
    ``{"*"}`` means every method. ``blocked_chats`` ignores probabilities.
    """

    seed: int | None = 0
    server_error: float = 0.0
    bad_gateway: float = 0.0
    too_many_requests: float = 0.0
    retry_after: int = 5
    timeout: float = 0.0
    timeout_hold_s: float = 30.0
    blocked_chats: set[int] = field(default_factory=set)
    methods: frozenset[str] | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON shape used by ``GET/POST /_standin/faults``."""
        return {
            "seed": self.seed,
            "server_error": self.server_error,
            "bad_gateway": self.bad_gateway,
            "too_many_requests": self.too_many_requests,
            "retry_after": self.retry_after,
            "timeout": self.timeout,
            "timeout_hold_s": self.timeout_hold_s,
            "blocked_chats": sorted(self.blocked_chats),
            "methods": sorted(self.methods) if self.methods is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StandinFaults:
        """Build from the control endpoint's JSON; missing keys take the defaults."""
        known = set(cls().to_json())
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        methods = data.get("methods")
        return cls(
            seed=data.get("seed", 0),
            server_error=float(data.get("server_error", 0.0)),
            bad_gateway=float(data.get("bad_gateway", 0.0)),
            too_many_requests=float(data.get("too_many_requests", 0.0)),
            retry_after=max(1, int(data.get("retry_after", 5))),
            timeout=float(data.get("timeout", 0.0)),
            timeout_hold_s=float(data.get("timeout_hold_s", 30.0)),
            blocked_chats={int(chat) for chat in data.get("blocked_chats", [])},
            methods=frozenset(str(m) for m in methods) if methods is not None else None,
        )


class FaultInjector:
    """Decides, per request, which fault (if any) to inject; counts what it injected."""

    def __init__(self, faults: StandinFaults | None = None) -> None:
        """Start with the given settings (none by default)."""
        self.counts: Counter[str] = Counter()
        self._faults = StandinFaults()
        self._rng = random.Random(0)
        self.configure(faults or StandinFaults())

    @property
    def faults(self) -> StandinFaults:
        """Current settings."""
        return self._faults

    def configure(self, faults: StandinFaults) -> None:
        """Replace the settings and reseed, so a test run is repeatable from this point."""
        self._faults = faults
        self._rng = random.Random(faults.seed)

    def applies_to(self, method: str) -> bool:
        """Whether faults are configured for this API method."""
        methods = self._faults.methods
        if methods is None:
            return method in SENDING_METHODS
        return "*" in methods or method in methods

    def decide(self, method: str, chat_id: int | None) -> Fault | None:
        """Pick the fault for one request (one RNG draw per eligible request)."""
        if not self.applies_to(method):
            return None
        faults = self._faults
        if chat_id is not None and chat_id in faults.blocked_chats:
            return self._count(Fault.BLOCKED)
        draw = self._rng.random()
        for kind, probability in (
            (Fault.SERVER_ERROR, faults.server_error),
            (Fault.BAD_GATEWAY, faults.bad_gateway),
            (Fault.TOO_MANY_REQUESTS, faults.too_many_requests),
            (Fault.TIMEOUT, faults.timeout),
        ):
            if draw < probability:
                return self._count(kind)
            draw -= probability
        return None

    def _count(self, fault: Fault) -> Fault:
        """Count an injected fault for the stats endpoint."""
        self.counts[fault.value] += 1
        return fault
