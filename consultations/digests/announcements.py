"""Rounds that opened or closed, and the followers to tell: what the announcement sweep reads.

A sweep, not a hook on opening: a round opened from the console, the CLI or the
rounds sweep is announced alike, once (a job mark per round and event, committed
with the messages). Events older than WINDOW when first seen (e.g. after a long
outage, or on the first run against an old database) are marked without being
announced: late news is noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from consultations.digests import marks
from consultations.digests.reach import reachable
from consultations.vocab import FollowTarget, Purpose, RoundStatus
from storage.models import Agency, Consent, Participant, Round, Subscription
from storage.uow import UnitOfWork

JOB = "announce"
WINDOW = timedelta(days=2)
OPENED, CLOSED = "opened", "closed"


@dataclass(frozen=True)
class RoundEvent:
    """A round that opened or closed, with what an announcement says about it."""

    round_id: int
    agency_id: int
    event: str
    title: str
    agency_name: str
    agency_name_en: str | None
    closes_at: datetime | None
    at: datetime

    @property
    def key(self) -> str:
        return f"{self.event}:{self.round_id}"


@dataclass(frozen=True)
class Recipient:
    """A participant a scheduled message goes to, on their own channel and language."""

    participant_id: int
    channel: str
    address: str
    locale: str


async def pending_events(uow: UnitOfWork) -> tuple[list[RoundEvent], list[RoundEvent]]:
    """(events to announce, events too old to announce); neither is marked yet."""
    rows = await uow.session.execute(
        select(Round, Agency.name, Agency.name_en)
        .join(Agency, Agency.id == Round.agency_id)
        .where(
            or_(
                and_(Round.status == RoundStatus.OPEN, Round.opens_at.is_not(None)),
                Round.closed_at.is_not(None),
            )
        )
    )
    events = []
    for row, name, name_en in rows:
        if row.status == RoundStatus.OPEN and row.opens_at is not None:
            at = row.opens_at
            events.append(
                RoundEvent(
                    row.id, row.agency_id, OPENED, row.title, name, name_en, row.closes_at, at
                )
            )
        elif row.closed_at is not None:
            events.append(
                RoundEvent(
                    row.id,
                    row.agency_id,
                    CLOSED,
                    row.title,
                    name,
                    name_en,
                    row.closes_at,
                    row.closed_at,
                )
            )
    seen = await marks.done(uow, JOB, [event.key for event in events])
    fresh = [event for event in events if event.key not in seen]
    now = uow.now()
    due = [event for event in fresh if now - event.at <= WINDOW]
    stale = [event for event in fresh if now - event.at > WINDOW]
    return due, stale


async def followers(uow: UnitOfWork, event: RoundEvent) -> list[Recipient]:
    """Who follows the round, its agency or all rounds, consented to notifications, and can
    be reached now (the web chat: in their history)."""
    follows = or_(
        Subscription.target == FollowTarget.ALL,
        and_(Subscription.target == FollowTarget.AGENCY, Subscription.target_id == event.agency_id),
        and_(Subscription.target == FollowTarget.ROUND, Subscription.target_id == event.round_id),
    )
    rows = await uow.session.execute(
        select(
            Participant.id,
            Participant.channel,
            Participant.channel_user_id,
            Participant.locale,
            Participant.last_seen_at,
        )
        .join(Subscription, Subscription.participant_id == Participant.id)
        .join(Consent, Consent.participant_id == Participant.id)
        .where(
            follows,
            Consent.purpose == Purpose.NOTIFY,
            Consent.withdrawn_at.is_(None),
            Participant.forgotten_at.is_(None),
            Participant.unreachable_at.is_(None),
            Participant.channel_user_id.is_not(None),
        )
        .distinct()
        .order_by(Participant.id)
    )
    now = uow.now()
    return [
        Recipient(pid, channel, str(address), locale)
        for pid, channel, address, locale, seen in rows
        if reachable(channel, seen, now, pulled_ok=True)
    ]


async def mark_done(uow: UnitOfWork, events: list[RoundEvent]) -> None:
    await marks.mark(uow, JOB, [event.key for event in events])
