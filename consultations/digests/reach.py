"""Whether a participant can be sent a message nobody asked for right now, by channel.

Telegram lets a bot write to anyone who started it, at any time. A Zalo Official
Account may send consultation messages ("tin tư vấn") only within 48 hours of the
user's last interaction with it; outside that window it needs paid message types,
so we do not try. The web chat has no push: a message waits in the visitor's
history until they come back, which is fine for an announcement they asked for
by following, and useless for a reminder about a deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

ALWAYS = frozenset({"telegram"})
WINDOWED = {"zalo": timedelta(hours=48), "zalo_bot": timedelta(hours=48)}
PULLED = frozenset({"webchat"})


def reachable(
    channel: str, last_seen_at: datetime | None, now: datetime, *, pulled_ok: bool
) -> bool:
    """True when a message to this participant on `channel` may be queued now."""
    if channel in ALWAYS:
        return True
    if channel in PULLED:
        return pulled_ok
    window = WINDOWED.get(channel)
    return window is not None and last_seen_at is not None and now - last_seen_at <= window
