"""Announce a round to the people who follow it, its agency, or all new rounds.

One outbox row per follower, marked broadcast, with a dedupe key per round and
participant: pressing "announce" twice, or again after a crash half-way, queues
nobody twice, and the dispatcher sends whatever was committed after a restart.
Only followers who agreed to be notified (Purpose.NOTIFY) and can still be
reached are included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select

from consultations import audit, outbox
from consultations.errors import InvalidState, NotFound
from consultations.vocab import FollowTarget, Purpose, RoundStatus
from storage.models import Consent, OutboxMessage, Participant, Round, Subscription
from storage.uow import UnitOfWork

# Each batch is one SELECT and one multi-row INSERT in its own short transaction, committed
# before the next so sending starts at once and a crash loses at most one batch.
BATCH = 2_000
PayloadFor = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class Follower:
    participant_id: int
    channel: str
    address: str
    locale: str


@dataclass(frozen=True)
class Progress:
    """Followers who would receive the announcement, and its outbox rows by status."""

    followers: int
    by_status: dict[str, int]

    @property
    def queued(self) -> int:
        return sum(self.by_status.values())

    @property
    def sent(self) -> int:
        return self.by_status.get("sent", 0)


def dedupe_prefix(round_id: int) -> str:
    """The same key the scheduler uses when a round opens, so nobody is told twice."""
    return f"announce:opened:{round_id}:"


def _key(round_id: int, follower: Follower) -> str:
    return f"{dedupe_prefix(round_id)}{follower.participant_id}"


def _followers(row: Round, *columns: Any, after_id: int = 0) -> Select[Any]:
    """The follower criteria, selecting `columns`, for participants after `after_id`.

    The bound is repeated inside both subqueries (it follows from the join, so it
    changes nothing): PostgreSQL does not carry `id > after_id` across the join and
    would otherwise read every earlier follower's subscription for each page.
    """
    follows = exists().where(
        Subscription.participant_id == Participant.id,
        Subscription.participant_id > after_id,
        or_(
            Subscription.target == FollowTarget.ALL,
            and_(Subscription.target == FollowTarget.AGENCY,
                 Subscription.target_id == row.agency_id),
            and_(Subscription.target == FollowTarget.ROUND, Subscription.target_id == row.id),
        ),
    )
    notify = exists().where(
        Consent.participant_id == Participant.id,
        Consent.participant_id > after_id,
        Consent.purpose == Purpose.NOTIFY,
        Consent.withdrawn_at.is_(None),
    )
    return select(*columns).where(
        Participant.id > after_id,
        follows, notify,
        Participant.forgotten_at.is_(None),
        Participant.unreachable_at.is_(None),
        Participant.channel_user_id.is_not(None),
    )


async def _round(uow: UnitOfWork, round_id: int) -> Round:
    row = await uow.session.get(Round, round_id)
    if row is None:
        raise NotFound("round.not_found")
    return row


async def followers_after(
    uow: UnitOfWork, round_id: int, after_id: int = 0, limit: int = BATCH
) -> list[Follower]:
    """The next followers by participant id (keyset paging keeps each batch cheap)."""
    return await _page(uow, await _round(uow, round_id), after_id, limit)


async def _page(uow: UnitOfWork, row: Round, after_id: int, limit: int) -> list[Follower]:
    # Plain columns, not Participant objects: a batch of thousands is read, used once, dropped.
    query = (
        _followers(row, Participant.id, Participant.channel, Participant.channel_user_id,
                   Participant.locale, after_id=after_id)
        .order_by(Participant.id).limit(limit)
    )
    return [
        Follower(pid, channel, address or "", locale)
        for pid, channel, address, locale in await uow.session.execute(query)
    ]


def _messages(
    round_id: int, batch: Sequence[Follower], payload_for: PayloadFor
) -> list[outbox.Outgoing]:
    """One outbox row per follower; the payload is built once per locale, not per person."""
    payloads = {
        locale: {**payload_for(locale), "broadcast": True} for locale in {f.locale for f in batch}
    }
    return [
        outbox.Outgoing(dedupe_key=_key(round_id, f), channel=f.channel, recipient=f.address,
                        payload=payloads[f.locale], participant_id=f.participant_id)
        for f in batch
    ]


async def announce_batch(
    uow: UnitOfWork, round_id: int, payload_for: PayloadFor, *, actor: str, after_id: int = 0,
    batch_size: int = BATCH,
) -> tuple[int, int | None]:
    """Queue the next batch; returns (rows queued, last participant id or None when done).

    The caller commits each batch, so a very large audience is announced in
    steps that each survive a crash. Followers already queued (a second press, a
    resumed run) are skipped by the INSERT itself and not counted.
    """
    row = await _round(uow, round_id)
    if row.status != RoundStatus.OPEN:
        raise InvalidState("round.not_open")
    if after_id == 0:
        audit.record(uow, actor, "round.announce", f"round:{round_id}")
    batch = await _page(uow, row, after_id, batch_size)
    queued = await outbox.enqueue_rows(uow, _messages(round_id, batch, payload_for))
    if len(batch) < batch_size:  # the last batch: the outbox may have grown a lot
        await outbox.refresh_statistics(uow)
        return len(queued), None
    return len(queued), batch[-1].participant_id


async def progress(uow: UnitOfWork, round_id: int) -> Progress:
    row = await _round(uow, round_id)
    followers = await uow.session.scalar(
        select(func.count()).select_from(_followers(row, Participant.id).subquery())
    )
    counts = await uow.session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.dedupe_key.startswith(dedupe_prefix(round_id), autoescape=True))
        .group_by(OutboxMessage.status)
    )
    return Progress(followers or 0, {status: count for status, count in counts})
