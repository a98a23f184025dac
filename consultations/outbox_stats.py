"""The outbox backlog per channel, read when /metrics is scraped.

One GROUP BY over the unfinished rows (the status index keeps it off the sent
history), so a scrape costs one short query and no background poller is needed.
A web chat row stays pending until the visitor's page fetches it, so that
channel's age measures unread answers, not a stuck sender.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select

from consultations.delivery import DEAD, PENDING, SENDING, WAITING
from storage.models import OutboxMessage
from storage.uow import UnitOfWork

_COUNTED = (PENDING, SENDING, WAITING, DEAD)


@dataclass(frozen=True)
class ChannelBacklog:
    """What one channel still has to send, and what it cannot."""

    channel: str
    depth: int = 0  # pending or being sent
    oldest_seconds: float = 0.0  # age of the oldest of those
    waiting: int = 0  # until the recipient writes again (Zalo's 7-day window)
    dead: int = 0  # given up: `consultbot outbox dead`


async def backlog(uow: UnitOfWork) -> dict[str, ChannelBacklog]:
    """Per channel that has any unfinished or dead row; ages by the unit of work's clock."""
    rows = await uow.session.execute(
        select(
            OutboxMessage.channel,
            OutboxMessage.status,
            func.count(),
            func.min(OutboxMessage.created_at),
        )
        .where(OutboxMessage.status.in_(_COUNTED))
        .group_by(OutboxMessage.channel, OutboxMessage.status)
    )
    now = uow.now()
    found: dict[str, ChannelBacklog] = {}
    for channel, status, count, oldest in rows:
        was = found.get(channel, ChannelBacklog(channel))
        if status in (PENDING, SENDING):
            age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
            was = replace(was, depth=was.depth + count, oldest_seconds=max(was.oldest_seconds, age))
        elif status == WAITING:
            was = replace(was, waiting=count)
        else:
            was = replace(was, dead=count)
        found[channel] = was
    return found
