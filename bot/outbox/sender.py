"""What the dispatcher hands a channel and what the channel answers: the bridges' contract.

A sender only talks to its platform and classifies the outcome; retries, back-off, rate
limits, ordering and bookkeeping are the dispatcher's, so every channel gets them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


@dataclass(frozen=True)
class Delivery:
    """One outbox row handed to a sender."""

    outbox_id: int
    channel: str
    recipient: str  # the channel's user or chat id, as a string
    payload: dict[str, Any]  # Reply.to_payload(), plus "broadcast": True for announcements
    attempt: int  # 1 for the first try


class SendStatus(StrEnum):
    """How one send ended, in the terms the dispatcher acts on."""

    SENT = "sent"  # delivered
    RETRY = "retry"  # transient (5xx, network, time-out): back off and retry
    RATE_LIMITED = "rate_limited"  # 429: wait retry_after for this recipient (or the channel)
    UNREACHABLE = "unreachable"  # 403 blocked / user gone: stop, mark the participant
    FAILED = "failed"  # permanent (400 bad request): dead-letter at once
    # The platform can reach the recipient only after they write again (Zalo: outside the
    # 7-day window): the row and their later rows wait, then go when the bridge releases them.
    DEFERRED = "deferred"


@dataclass(frozen=True)
class SendResult:
    """The outcome of one send. `error` is a short reason: never message text or personal data."""

    status: SendStatus
    retry_after: float | None = None
    scope: str = "recipient"  # or "channel": a 429 that holds every recipient
    error: str | None = None
    ambiguous: bool = False  # a time-out: the platform may have received it


@dataclass(frozen=True)
class ChannelLimits:
    """The platform's flood limits; the dispatcher stays under them so it never meets a 429."""

    overall_per_second: float  # Telegram 30
    per_chat_per_second: float  # Telegram 1
    per_chat_burst: int  # Telegram: a short burst, e.g. 3
    group_per_minute: int | None  # Telegram 20 for group chats
    broadcast_per_second: float | None  # Telegram paid broadcast 1000 (payload["broadcast"])


class ChannelSender(Protocol):
    """A push channel (Telegram, Zalo). The web chat is pulled over HTTP and has none."""

    channel: str
    limits: ChannelLimits

    def is_group(self, recipient: str) -> bool: ...

    async def send(self, delivery: Delivery) -> SendResult: ...
