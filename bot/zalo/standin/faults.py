"""Faults the stand-in injects into the send API on request, one call at a time.

``standin.inject(-216)`` makes the next send answer -216 whatever its token;
``inject("timeout")`` holds the answer past the client's patience (the message is still
delivered, as a real time-out may have been); ``inject(500)`` answers an HTTP 500 page.
A fault may be limited to one user. -230 per user is not a fault but a state: see
``ZaloStandin.leave_window``.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR_MESSAGES = {
    -32: "Your application reached limit call api",
    -201: "Parameter is invalid",
    -210: "Parameter exceeds allowable limit",
    -216: "Access token is invalid",
    -220: "Access token has expired or has been removed",
    -230: "User has not interacted with the OA in the past 7 days",
}
Kind = int | str  # a Zalo error code, an HTTP status >= 500, or "timeout"


@dataclass
class Fault:
    kind: Kind
    remaining: int = 1
    user_id: str | None = None
    after: int = 0  # matching calls to let through first


class FaultQueue:
    """Pending faults, consumed first come first served by matching send calls."""

    def __init__(self, timeout_hold_s: float = 2.0) -> None:
        self.timeout_hold_s = timeout_hold_s
        self._faults: list[Fault] = []
        self.injected = 0

    def add(self, kind: Kind, count: int = 1, user_id: str | None = None, after: int = 0) -> None:
        if not (kind == "timeout" or (isinstance(kind, int) and (kind < 0 or kind >= 500))):
            raise ValueError(f"unknown fault {kind!r}")
        self._faults.append(Fault(kind, count, user_id, after))

    def take(self, user_id: str) -> Kind | None:
        """The fault this call must suffer, if any."""
        for fault in self._faults:
            if fault.user_id in (None, user_id) and fault.remaining > 0:
                if fault.after > 0:
                    fault.after -= 1
                    return None
                fault.remaining -= 1
                self.injected += 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault.kind
        return None

    def clear(self) -> None:
        self._faults.clear()
