"""What the stand-in remembers: issued tokens, messages received, users outside the window."""

from __future__ import annotations

import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

ACCESS_LIFETIME_S = 90_000  # 25 hours, as Zalo issues them
REFRESH_LIFETIME_S = 90 * 24 * 3600


@dataclass(frozen=True)
class SentMessage:
    """A consultation message the stand-in accepted (and would have shown the user)."""

    user_id: str
    message: dict[str, Any]
    message_id: str
    token_version: int  # which issued pair's access token carried it

    @property
    def text(self) -> str:
        return str(self.message.get("text") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        attachment = self.message.get("attachment") or {}
        return list((attachment.get("payload") or {}).get("buttons") or [])


@dataclass
class IssuedPair:
    """One access/refresh pair; `version` counts pairs issued by this stand-in from 1."""

    version: int
    access_token: str
    refresh_token: str
    access_expires: float
    refresh_expires: float
    refresh_used: bool = False
    rotated_out: bool = False  # a newer pair was issued from this one's refresh token


@dataclass
class TokenBook:
    """Issues pairs and says what an access token is worth; rotation retires the old pair."""

    pairs: list[IssuedPair] = field(default_factory=list)
    refreshes: int = 0  # pairs issued by a refresh
    refresh_calls: int = 0  # refresh requests, refused ones included

    def issue(self, now: float | None = None) -> IssuedPair:
        now = time.time() if now is None else now
        pair = IssuedPair(
            version=len(self.pairs) + 1,
            access_token=f"AT{len(self.pairs) + 1}-{secrets.token_urlsafe(24)}",
            refresh_token=f"RT{len(self.pairs) + 1}-{secrets.token_urlsafe(24)}",
            access_expires=now + ACCESS_LIFETIME_S,
            refresh_expires=now + REFRESH_LIFETIME_S,
        )
        self.pairs.append(pair)
        return pair

    def by_access(self, token: str) -> IssuedPair | None:
        return next((p for p in self.pairs if secrets.compare_digest(p.access_token, token)), None)

    def by_refresh(self, token: str) -> IssuedPair | None:
        return next((p for p in self.pairs if secrets.compare_digest(p.refresh_token, token)), None)

    def rotate(self, old: IssuedPair) -> IssuedPair:
        """Spend the refresh token; every earlier access token stops working."""
        old.refresh_used = True
        for pair in self.pairs:
            pair.rotated_out = True
        self.refreshes += 1
        return self.issue()

    def expire_access_tokens(self) -> None:
        """Make every access token expired (as 25 hours later): Zalo answers -220."""
        for pair in self.pairs:
            pair.access_expires = 0.0


@dataclass
class CallWindow:
    """Zalo's per-app call limit: more than `per_second` sends within a second get -32."""

    per_second: int | None = None
    stamps: deque[float] = field(default_factory=deque)
    violations: int = 0

    def over(self, now: float | None = None) -> bool:
        if self.per_second is None:
            return False
        now = time.monotonic() if now is None else now
        while self.stamps and self.stamps[0] <= now - 1.0:
            self.stamps.popleft()
        if len(self.stamps) >= self.per_second:
            self.violations += 1
            return True
        self.stamps.append(now)
        return False


@dataclass
class StandinState:
    """Everything observable about a run, for tests and the control routes."""

    tokens: TokenBook = field(default_factory=TokenBook)
    calls: CallWindow = field(default_factory=CallWindow)
    sent: list[SentMessage] = field(default_factory=list)
    outside_window: set[str] = field(default_factory=set)
    stale_token_uses: int = 0  # requests carrying an access token already rotated out
    refused: list[tuple[str, int]] = field(default_factory=list)  # (user, error) per refusal
    webhook_deliveries: list[tuple[str, int]] = field(default_factory=list)  # (event, status)

    def sent_to(self, user_id: str) -> list[SentMessage]:
        return [message for message in self.sent if message.user_id == user_id]
