"""The outbox seen from the dispatcher: claim due rows under a lease, record what happened.

Every function takes the caller's unit of work and plain values and leaves the commit to
the caller, so each claim and each result is its own short transaction. A row's life:

    pending --claim--> sending --> sent | dead | unreachable
                          \\--> pending (retry later, or released unsent)
                          \\--> waiting --the recipient writes again--> pending

Order per recipient is kept here, not in the dispatcher: only the oldest unfinished row of a
(channel, recipient) can be claimed, together with the due rows right behind it, so no
process can send row N+1 while row N waits for a retry or sits with another process.
A "waiting" row (the platform cannot reach the recipient until they write, as with
Zalo's 7-day window) holds the rows behind it the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import OutboxMessage, Participant
from storage.uow import UnitOfWork

PENDING, SENDING, SENT = "pending", "sending", "sent"
DEAD, UNREACHABLE, WAITING = "dead", "unreachable", "waiting"
UNFINISHED = (PENDING, SENDING)
BLOCKING = (*UNFINISHED, WAITING)  # a recipient's later rows queue behind these
ERROR_MAX = 200


@dataclass(frozen=True)
class ClaimedRow:
    """One outbox row handed to the dispatcher; plain values, no session attached."""

    id: int
    channel: str
    recipient: str
    participant_id: int | None
    payload: dict[str, Any]
    attempts: int
    throttled_count: int
    lease_owner: str


@dataclass(frozen=True)
class DeadLetter:
    """A row the dispatcher gave up on, as an admin sees it."""

    id: int
    channel: str
    recipient: str
    attempts: int
    last_error: str | None
    created_at: datetime


# The claim runs on every wake of the dispatcher (a commit that queued replies), so its
# statements are built once, here, and run on the connection: built on each call through
# the ORM (an aliased entity, entities loaded), an empty claim cost 12-15 ms of CPU, about
# three times what the same statements cost built once (bench/README.md, "Ingest").
_OUTBOX = cast(Table, OutboxMessage.__table__)
_EARLIER = _OUTBOX.alias("earlier")
_NOW = bindparam("now", type_=_OUTBOX.c.next_attempt_at.type)


def _heads_statement(due: ColumnElement[bool], *order: ColumnElement[Any]) -> Select[Any]:
    """Due rows with nothing unfinished before them in their recipient's queue, locked.

    Pending rows are read in the order of the (status, next_attempt_at) index, so a claim
    reads only the rows it takes, however many were sent before them; ordered by id, a
    claim stepped over every row a broadcast had already sent.
    """
    earlier = _EARLIER.c
    return (
        select(_OUTBOX)
        .where(
            _OUTBOX.c.channel.in_(bindparam("channels", expanding=True)),
            due,
            ~exists().where(
                earlier.channel == _OUTBOX.c.channel,
                earlier.recipient == _OUTBOX.c.recipient,
                earlier.id < _OUTBOX.c.id,
                earlier.status.in_(BLOCKING),
            ),
        )
        .order_by(*order)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True, of=_OUTBOX)
    )


_EXPIRED_HEADS = _heads_statement(
    and_(_OUTBOX.c.status == SENDING, _OUTBOX.c.lease_until <= _NOW), _OUTBOX.c.id
)
_DUE_HEADS = _heads_statement(
    and_(_OUTBOX.c.status == PENDING, _OUTBOX.c.next_attempt_at <= _NOW),
    _OUTBOX.c.next_attempt_at, _OUTBOX.c.id,
)
_BEHIND_HEADS = (
    select(_OUTBOX)
    .where(
        _OUTBOX.c.channel.in_(bindparam("channels", expanding=True)),
        _OUTBOX.c.recipient.in_(bindparam("recipients", expanding=True)),
        _OUTBOX.c.status.in_(UNFINISHED),
        _OUTBOX.c.id > bindparam("after", type_=Integer),
    )
    .order_by(_OUTBOX.c.id)
)
_LEASE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(status=SENDING, lease_owner=bindparam("owner"),
            lease_until=bindparam("until", type_=_OUTBOX.c.lease_until.type))
)


async def claim_due(
    uow: UnitOfWork, channels: Collection[str], *, lease_seconds: float, limit: int = 200
) -> list[ClaimedRow]:
    """Lease the due head rows of each recipient's queue, plus the due rows right behind them.

    On PostgreSQL the heads are locked with FOR UPDATE SKIP LOCKED, so two processes claiming
    at once take disjoint recipients; SQLite has one writer at a time and ignores the clause.
    Heads are rows left "sending" by a claim whose lease ran out (a dead process), oldest
    first, then pending rows by the time they became due.
    """
    if not channels or limit <= 0:
        return []
    now = uow.now()
    connection = await uow.session.connection()
    heads: list[Row[Any]] = []
    for statement in (_EXPIRED_HEADS, _DUE_HEADS):
        if len(heads) < limit:
            found = await connection.execute(
                statement, {"channels": list(channels), "now": now, "limit": limit - len(heads)}
            )
            heads += found.all()
    rows = heads + await _followers(connection, heads, now, limit - len(heads))
    if not rows:
        return []
    owner = str(uuid.uuid4())
    await connection.execute(_LEASE, {
        "ids": [row.id for row in rows], "owner": owner,
        "until": now + timedelta(seconds=lease_seconds),
    })
    return sorted((_claimed(row, owner) for row in rows), key=lambda claimed: claimed.id)


async def lease_queued(
    uow: UnitOfWork, outbox_ids: Collection[int], channels: Collection[str], *,
    lease_seconds: float,
) -> list[ClaimedRow]:
    """Lease rows this transaction has just queued to the caller, as a claim would, so the
    process that queued them sends them at once, without a claim of its own.

    Only rows with nothing unfinished before them in their recipient's queue (other than
    rows of this same lease) are taken, so a recipient's order holds; the others stay
    pending for a claim. Rows not sent before the lease runs out (a crash) are claimed
    again like any other. One statement in the caller's transaction; the caller hands
    the rows to its dispatcher after the commit.
    """
    if not outbox_ids or not channels:
        return []
    owner = str(uuid.uuid4())
    ids = list(outbox_ids)
    connection = await uow.session.connection()
    leased = await connection.execute(_LEASE_QUEUED, {
        "ids": ids, "same_lease": ids, "channels": list(channels), "owner": owner,
        "until": uow.now() + timedelta(seconds=lease_seconds),
    })
    return sorted((_claimed(row, owner) for row in leased), key=lambda claimed: claimed.id)


_LEASE_QUEUED = (
    update(_OUTBOX)
    .where(
        _OUTBOX.c.id.in_(bindparam("ids", expanding=True)),
        _OUTBOX.c.channel.in_(bindparam("channels", expanding=True)),
        _OUTBOX.c.status == PENDING,
        ~exists().where(
            _EARLIER.c.channel == _OUTBOX.c.channel,
            _EARLIER.c.recipient == _OUTBOX.c.recipient,
            _EARLIER.c.id < _OUTBOX.c.id,
            _EARLIER.c.status.in_(BLOCKING),
            _EARLIER.c.id.not_in(bindparam("same_lease", expanding=True)),
        ),
    )
    .values(
        status=SENDING, lease_owner=bindparam("owner"),
        lease_until=bindparam("until", type_=_OUTBOX.c.lease_until.type),
    )
    .returning(
        _OUTBOX.c.id, _OUTBOX.c.channel, _OUTBOX.c.recipient, _OUTBOX.c.participant_id,
        _OUTBOX.c.payload, _OUTBOX.c.attempts, _OUTBOX.c.throttled_count,
    )
)


async def _followers(
    connection: AsyncConnection, heads: Sequence[Row[Any]], now: datetime, room: int
) -> list[Row[Any]]:
    """The due rows queued right behind each claimed head, stopping at the first one not due.

    Nobody else can claim them: their head is unfinished, and it is ours.
    """
    if not heads or room <= 0:
        return []
    head_ids = {(row.channel, row.recipient): row.id for row in heads}
    candidates = await connection.execute(_BEHIND_HEADS, {
        "channels": list({row.channel for row in heads}),
        "recipients": list({row.recipient for row in heads}),
        "after": min(head_ids.values()),
    })
    taken: list[Row[Any]] = []
    blocked: set[tuple[str, str]] = set()
    for row in candidates:
        key = (row.channel, row.recipient)
        if key not in head_ids or key in blocked or row.id <= head_ids[key]:
            continue
        if len(taken) >= room or not _is_claimable(row, now):
            blocked.add(key)
            continue
        taken.append(row)
    return taken


def _is_claimable(row: Row[Any], now: datetime) -> bool:
    if row.status == PENDING:
        return bool(row.next_attempt_at <= now)
    return row.lease_until is not None and bool(row.lease_until <= now)


def _claimed(row: Row[Any], owner: str) -> ClaimedRow:
    return ClaimedRow(
        id=row.id,
        channel=row.channel,
        recipient=row.recipient,
        participant_id=row.participant_id,
        payload=dict(row.payload),
        attempts=row.attempts,
        throttled_count=row.throttled_count,
        lease_owner=owner,
    )


async def _finish(uow: UnitOfWork, outbox_id: int, owner: str, **values: Any) -> bool:
    """Update a row only while this claim still owns it; False when the lease was lost."""
    changed = await uow.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status == SENDING,
            OutboxMessage.lease_owner == owner,
        )
        .values(lease_until=None, lease_owner=None, **values)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return changed.first() is not None


def _short(error: str | None) -> str | None:
    return None if error is None else error[:ERROR_MAX]


async def mark_sent(uow: UnitOfWork, outbox_id: int, owner: str) -> bool:
    """Delivered; last_error stays, so an earlier ambiguous attempt remains visible."""
    return await _finish(
        uow, outbox_id, owner,
        status=SENT, sent_at=uow.now(), attempts=OutboxMessage.attempts + 1,
    )


async def mark_sent_many(uow: UnitOfWork, claims: Collection[tuple[int, str]]) -> set[int]:
    """Delivered, many rows at once as (id, lease owner); returns the ids that were still ours.

    One UPDATE per claim rather than a transaction per row: at broadcast rates the
    per-row round trips cost more than the sends.
    """
    by_owner: dict[str, list[int]] = {}
    for outbox_id, owner in claims:
        by_owner.setdefault(owner, []).append(outbox_id)
    connection = await uow.session.connection()
    kept: set[int] = set()
    for owner, ids in by_owner.items():
        changed = await connection.execute(_SENT, {"ids": ids, "owner": owner, "at": uow.now()})
        kept.update(changed.scalars())
    return kept


_SENT = (  # built once: the recorder runs it many times a second during a broadcast
    update(_OUTBOX)
    .where(
        _OUTBOX.c.id.in_(bindparam("ids", expanding=True)),
        _OUTBOX.c.status == SENDING,
        _OUTBOX.c.lease_owner == bindparam("owner"),
    )
    .values(status=SENT, sent_at=bindparam("at", type_=_OUTBOX.c.sent_at.type),
            attempts=_OUTBOX.c.attempts + 1, lease_until=None, lease_owner=None)
    .returning(_OUTBOX.c.id)
)


async def mark_retry(
    uow: UnitOfWork, outbox_id: int, owner: str, *, delay: float, error: str | None,
    counted: bool = True, throttled: bool = False, ambiguous: bool = False,
) -> bool:
    """Back to pending, due after `delay` seconds; `counted` attempts lead to dead-lettering.

    `error=None` keeps the last error (a deferral by our own limiter is not one).

    A 429 is not counted (`counted=False, throttled=True`) but is tallied separately, so a
    platform that only ever answers 429 still ends in the dead letters.
    """
    values: dict[str, Any] = {} if error is None else {"last_error": _short(error)}
    return await _finish(
        uow, outbox_id, owner,
        status=PENDING,
        next_attempt_at=uow.now() + timedelta(seconds=max(0.0, delay)),
        attempts=OutboxMessage.attempts + int(counted),
        throttled_count=OutboxMessage.throttled_count + int(throttled),
        ambiguous_count=OutboxMessage.ambiguous_count + int(ambiguous),
        **values,
    )


async def release(uow: UnitOfWork, outbox_ids: Collection[int], owner: str) -> int:
    """Give back claimed rows that were never tried (their head must wait, or we stop)."""
    if not outbox_ids:
        return 0
    released = await uow.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(outbox_ids),
            OutboxMessage.status == SENDING,
            OutboxMessage.lease_owner == owner,
        )
        .values(status=PENDING, lease_until=None, lease_owner=None)
        .returning(OutboxMessage.id)
    )
    return len(released.all())


async def mark_dead(
    uow: UnitOfWork, outbox_id: int, owner: str, *, error: str | None, ambiguous: bool = False
) -> bool:
    """Give up on a row (permanent error, or too many attempts); admins see it in list_dead."""
    return await _finish(
        uow, outbox_id, owner,
        status=DEAD, last_error=_short(error), attempts=OutboxMessage.attempts + 1,
        ambiguous_count=OutboxMessage.ambiguous_count + int(ambiguous),
    )


async def mark_unreachable(
    uow: UnitOfWork, outbox_id: int, owner: str, *, error: str | None
) -> int:
    """The recipient blocked us or is gone: stop this row and everything else queued for them.

    Returns how many rows were closed (0 when the lease was lost). The participant, when
    known, is marked unreachable so nothing new is queued for them.
    """
    row = await uow.session.get(OutboxMessage, outbox_id)
    if row is None or not await _finish(
        uow, outbox_id, owner,
        status=UNREACHABLE, last_error=_short(error), attempts=OutboxMessage.attempts + 1,
    ):
        return 0
    others = await _move_queue(uow, row, BLOCKING, UNREACHABLE, "recipient unreachable")
    if row.participant_id is not None:
        await uow.session.execute(
            update(Participant)
            .where(Participant.id == row.participant_id, Participant.unreachable_at.is_(None))
            .values(unreachable_at=uow.now())
        )
    return 1 + others


async def mark_waiting(uow: UnitOfWork, outbox_id: int, owner: str, *, error: str | None) -> int:
    """The platform can reach the recipient only after they write again: park their queue.

    This row and every unfinished one behind it wait (not counted as a failed attempt)
    until `release_waiting`; returns how many rows were parked (0 when the lease was lost).
    """
    row = await uow.session.get(OutboxMessage, outbox_id)
    if row is None or not await _finish(
        uow, outbox_id, owner, status=WAITING, last_error=_short(error)
    ):
        return 0
    return 1 + await _move_queue(uow, row, UNFINISHED, WAITING, _short(error))


async def _move_queue(
    uow: UnitOfWork, row: OutboxMessage, current: Collection[str], status: str, error: str | None
) -> int:
    """Move the recipient's other rows in `current` to `status`; returns how many moved."""
    moved = await uow.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == row.channel,
            OutboxMessage.recipient == row.recipient,
            OutboxMessage.status.in_(current),
        )
        .values(status=status, last_error=error, lease_until=None, lease_owner=None)
        .returning(OutboxMessage.id)
    )
    return len(moved.all())


async def release_waiting(uow: UnitOfWork, channel: str, recipient: str) -> int:
    """The recipient wrote to us: their waiting rows are due at once, oldest first.

    Call it in the transaction of their inbound event, then wake the dispatcher;
    returns how many rows were released.
    """
    released = await uow.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.recipient == recipient,
            OutboxMessage.status == WAITING,
        )
        .values(status=PENDING, next_attempt_at=uow.now())
        .returning(OutboxMessage.id)
    )
    return len(released.all())


async def count_waiting(uow: UnitOfWork, channel: str) -> int:
    """How many messages of a channel wait for their recipient to write again."""
    total = await uow.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.channel == channel, OutboxMessage.status == WAITING)
    )
    return int(total or 0)


async def set_reachable(uow: UnitOfWork, channel: str, recipient: str, reachable: bool) -> None:
    """The person behind a channel id left (unfollowed: False) or came back (wrote: True)."""
    if reachable:
        condition, value = Participant.unreachable_at.is_not(None), None
    else:
        condition, value = Participant.unreachable_at.is_(None), uow.now()
    await uow.session.execute(
        update(Participant)
        .where(
            Participant.channel == channel,
            Participant.channel_user_id == recipient,
            condition,
        )
        .values(unreachable_at=value)
    )


async def list_dead(uow: UnitOfWork, limit: int = 50) -> list[DeadLetter]:
    """The newest dead letters first, without their content (it may hold personal data)."""
    rows = await uow.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == DEAD)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [
        DeadLetter(row.id, row.channel, row.recipient, row.attempts, row.last_error,
                   row.created_at)
        for row in rows
    ]


async def requeue(uow: UnitOfWork, outbox_id: int) -> bool:
    """An admin retries a dead row from scratch; False when it is not dead (nothing to do)."""
    changed = await uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == DEAD)
        .values(status=PENDING, attempts=0, throttled_count=0, last_error=None,
                next_attempt_at=uow.now(), lease_until=None, lease_owner=None)
        .returning(OutboxMessage.id)
    )
    return changed.first() is not None
