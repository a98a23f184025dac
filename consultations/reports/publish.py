"""Publishing a round's outcomes: the round becomes reported, and who should hear of it.

The law asks the agency to publish what it did with the comments; we also tell
each person who commented or co-signed, on the channel they used. The domain
decides whether the round may be published and who can still be reached
(not forgotten, not unreachable) with what; the words are handlers' concern.
"""

from __future__ import annotations

from array import array
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, union

from consultations import audit, rounds
from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.reports.cells import printable, public
from consultations.reports.streaming import stream_rows
from consultations.vocab import Moderation, RoundStatus
from storage.models import Agency, Comment, CoSignature, Participant, Round, Section
from storage.uow import UnitOfWork

BATCH = 500


@dataclass(frozen=True)
class Publication:
    """The published round; `first_time` is False when it had been published before."""

    round_id: int
    title: str
    agency_name: str
    agency_name_en: str | None
    missing: int
    first_time: bool


@dataclass(frozen=True)
class NoteItem:
    """A comment a person wrote (or co-signed) and what became of it."""

    comment_id: int
    article: str | None
    body: str
    outcome: str | None
    reason: str | None
    cosigned: bool


@dataclass(frozen=True)
class NoteRecipient:
    """Someone to tell, where, in which language, about which comments (the first few)."""

    participant_id: int
    channel: str
    address: str
    locale: str
    items: tuple[NoteItem, ...]
    total: int


def _visible(round_id: int) -> tuple[Any, Any]:
    return Comment.round_id == round_id, Comment.moderation == Moderation.VISIBLE


async def missing_outcomes(uow: UnitOfWork, round_id: int) -> int:
    """Visible comments of the round the agency has not decided on yet."""
    count = await uow.session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(*_visible(round_id), Comment.outcome.is_(None))
    )
    return int(count or 0)


async def publish(
    uow: UnitOfWork, round_id: int, *, actor: str, missing_ok: int = 0
) -> Publication:
    """Mark a closed round reported once every visible comment has an outcome.

    `missing_ok` is the override: publishing with comments undecided needs the
    caller to state exactly how many, so nobody publishes a gap unknowingly.
    A round already reported is returned as it is, so publishing is idempotent.
    """
    found = (
        await uow.session.execute(
            select(Round, Agency.name, Agency.name_en)
            .join(Agency, Agency.id == Round.agency_id)
            .where(Round.id == round_id)
            .with_for_update(of=Round)
        )
    ).first()
    if found is None:
        raise NotFound("round.not_found")
    consultation, name, name_en = found
    missing = await missing_outcomes(uow, round_id)
    first_time = consultation.status != RoundStatus.REPORTED
    if first_time:
        _check_publishable(consultation.status, missing, missing_ok)
        await rounds.mark_reported(uow, round_id, actor=actor)
        audit.record(
            uow,
            actor,
            "round.outcomes_published",
            f"round:{round_id}",
            details={"missing": missing},
        )
    title = printable(consultation.title)
    return Publication(round_id, title, name, name_en, missing, first_time)


def _check_publishable(status: str, missing: int, missing_ok: int) -> None:
    if status != RoundStatus.CLOSED:
        raise InvalidState("report.round_not_closed")
    if missing and not missing_ok:
        raise InvalidState("report.outcomes_missing", missing=missing)
    if missing != missing_ok:
        raise InvalidInput("report.missing_mismatch", missing=missing, stated=missing_ok)


async def _people(uow: UnitOfWork, round_id: int) -> array[int]:
    """Ids of everyone who wrote or co-signed a visible comment of the round, ascending."""
    people = union(
        select(Comment.participant_id.label("pid")).where(
            *_visible(round_id), Comment.participant_id.is_not(None)
        ),
        select(CoSignature.participant_id)
        .join(Comment, Comment.id == CoSignature.comment_id)
        .where(*_visible(round_id), CoSignature.participant_id.is_not(None)),
    ).subquery()
    ids = array("q")
    async for row in stream_rows(uow, select(people.c.pid).order_by(people.c.pid), 5000):
        ids.append(row.pid)
    return ids


async def note_recipients(
    uow: UnitOfWork, round_id: int, *, per_note: int = 5, batch: int = BATCH
) -> AsyncIterator[list[NoteRecipient]]:
    """Reachable people and their comments, a batch of people at a time.

    Their own comments come first, earliest first, then those they co-signed;
    `items` holds at most `per_note` of them, `total` counts them all.
    """
    ids = await _people(uow, round_id)
    for start in range(0, len(ids), batch):
        reachable = await _reachable(uow, ids[start : start + batch])
        if not reachable:
            continue
        items = await _items(uow, round_id, list(reachable))
        yield [
            NoteRecipient(
                pid,
                channel,
                address,
                locale,
                tuple(items.get(pid, [])[:per_note]),
                len(items.get(pid, [])),
            )
            for pid, (channel, address, locale) in reachable.items()
            if items.get(pid)
        ]


async def _reachable(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    rows = await uow.session.execute(
        select(Participant.id, Participant.channel, Participant.channel_user_id, Participant.locale)
        .where(
            Participant.id.in_(list(ids)),
            Participant.forgotten_at.is_(None),
            Participant.unreachable_at.is_(None),
            Participant.channel_user_id.is_not(None),
        )
        .order_by(Participant.id)
    )
    return {
        pid: (channel, address, locale)
        for pid, channel, address, locale in rows
        if address is not None
    }


async def _items(uow: UnitOfWork, round_id: int, ids: list[int]) -> dict[int, list[NoteItem]]:
    columns = (
        Comment.id,
        Section.label,
        Comment.body,
        Comment.outcome,
        Comment.outcome_note,
    )
    own = (
        select(Comment.participant_id, *columns)
        .outerjoin(Section, Section.id == Comment.section_id)
        .where(*_visible(round_id), Comment.participant_id.in_(ids))
        .order_by(Comment.created_at, Comment.id)
    )
    cosigned = (
        select(CoSignature.participant_id, *columns)
        .join(Comment, Comment.id == CoSignature.comment_id)
        .outerjoin(Section, Section.id == Comment.section_id)
        .where(*_visible(round_id), CoSignature.participant_id.in_(ids))
        .order_by(CoSignature.created_at, CoSignature.id)
    )
    found: dict[int, list[NoteItem]] = {}
    for query, is_cosigned in ((own, False), (cosigned, True)):
        for pid, cid, label, body, outcome, note in await uow.session.execute(query):
            if pid is None:
                continue
            item = NoteItem(cid, label, public(body), outcome, public(note) or None, is_cosigned)
            found.setdefault(pid, []).append(item)
    return found
