"""What the stand-in remembers: calls, sent messages, and updates waiting for getUpdates."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class CallRecord:
    """One API request: method, parameters, and the error code it got (None when ok)."""

    method: str
    params: dict[str, Any]
    error_code: int | None = None
    time: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SentMessage:
    """A message the bot sent (also when its answer was held back by an injected time-out)."""

    method: str
    chat_id: str
    text: str
    message_id: str
    date: int
    params: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class UpdateQueue:
    """Updates for getUpdates, handed out one per call, oldest first."""

    pending: deque[dict[str, Any]] = field(default_factory=deque)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def put(self, update: dict[str, Any]) -> None:
        self.pending.append(update)
        self.arrived.set()

    def wake(self) -> None:
        """Let every waiting poll look again (an update came, or the stand-in stops)."""
        self.arrived.set()

    async def wait(self, seconds: float) -> None:
        """Until something may have changed, or `seconds` passed."""
        self.arrived.clear()
        try:
            await asyncio.wait_for(self.arrived.wait(), timeout=max(0.0, seconds))
        except TimeoutError:
            return
