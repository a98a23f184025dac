"""The moderation queue: a round's comments, held ones first, and what moderators do to them.

The abuse filter holds a comment ("pending") instead of publishing it. A
moderator approves it, hides it with a reason (kept on the comment and in the
audit log), or marks it abusive. Every change is limited to the staff member's
agency and audited one entry per comment, so a comment's history can be read
back. A round whose outcomes are published is frozen: hiding a comment then
would silently change a public record.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select

from consultations import audit
from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.outcomes import NotAllowed
from consultations.text import normalize_text
from consultations.vocab import Moderation, RoundStatus
from storage.models import Comment, Round, Section
from storage.uow import UnitOfWork

ACTIONS: dict[str, str] = {
    "approve": Moderation.VISIBLE,
    "hide": Moderation.HIDDEN,
    "abusive": Moderation.ABUSIVE,
}
REASON_REQUIRED = frozenset({"hide"})
REASON_MAX = 1000
PAGE_SIZE = 50
WHOLE_DRAFT = "whole"


@dataclass(frozen=True)
class CommentFilter:
    """What the queue shows: an article (a section id, WHOLE_DRAFT or all), stance, status."""

    article: str = ""
    stance: str = ""
    moderation: str = ""


@dataclass(frozen=True)
class QueueItem:
    """A comment as staff review it (the author is never named: no names are stored)."""

    id: int
    round_id: int
    agency_id: int
    round_status: str
    section_id: int | None
    article: str | None
    stance: str
    respondent_kind: str
    organisation: str | None
    channel: str
    body: str
    moderation: str
    moderation_note: str | None
    cosign_count: int
    outcome: str | None
    outcome_note: str | None
    created_at: datetime


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    pages: int


def _item_query() -> Select[Comment, int, str, str | None]:
    return (
        select(Comment, Round.agency_id, Round.status, Section.label)
        .join(Round, Round.id == Comment.round_id)
        .outerjoin(Section, Section.id == Comment.section_id)
    )


def _item(row: Comment, agency_id: int, round_status: str, label: str | None) -> QueueItem:
    return QueueItem(
        id=row.id, round_id=row.round_id, agency_id=agency_id, round_status=round_status,
        section_id=row.section_id, article=label, stance=row.stance,
        respondent_kind=row.respondent_kind, organisation=row.organisation,
        channel=row.channel, body=row.body, moderation=row.moderation,
        moderation_note=row.moderation_note, cosign_count=row.cosign_count,
        outcome=row.outcome, outcome_note=row.outcome_note, created_at=row.created_at,
    )


def _conditions(round_id: int, flt: CommentFilter) -> list[Any]:
    found: list[Any] = [Comment.round_id == round_id]
    if flt.article == WHOLE_DRAFT:
        found.append(Comment.section_id.is_(None))
    elif flt.article.isdigit():
        found.append(Comment.section_id == int(flt.article))
    if flt.stance:
        found.append(Comment.stance == flt.stance)
    if flt.moderation:
        found.append(Comment.moderation == flt.moderation)
    return found


async def list_comments(
    uow: UnitOfWork, round_id: int, flt: CommentFilter, *, page: int = 1
) -> QueuePage:
    """One page of the round's comments: held ones first, then in the order they came."""
    where = _conditions(round_id, flt)
    total = int(await uow.session.scalar(
        select(func.count()).select_from(Comment).where(*where)) or 0)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    held_first = case((Comment.moderation == Moderation.PENDING, 0), else_=1)
    query = (
        _item_query().where(*where).order_by(held_first, Comment.created_at, Comment.id)
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    items = [_item(*row) for row in await uow.session.execute(query)]
    return QueuePage(items, total, page, pages)


async def moderation_counts(uow: UnitOfWork, round_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Comments of each round by moderation status (what the queue's overview shows)."""
    counts: dict[int, dict[str, int]] = {round_id: {} for round_id in round_ids}
    if not round_ids:
        return counts
    rows = await uow.session.execute(
        select(Comment.round_id, Comment.moderation, func.count())
        .where(Comment.round_id.in_(round_ids))
        .group_by(Comment.round_id, Comment.moderation)
    )
    for round_id, status, count in rows:
        counts[round_id][status] = int(count)
    return counts


async def get_item(uow: UnitOfWork, comment_id: int) -> QueueItem:
    found = (await uow.session.execute(_item_query().where(Comment.id == comment_id))).first()
    if found is None:
        raise NotFound("comment.not_found")
    return _item(*found)


async def items(uow: UnitOfWork, comment_ids: Sequence[int]) -> list[QueueItem]:
    """The given comments, oldest first (unknown ids are simply not returned)."""
    query = _item_query().where(Comment.id.in_(comment_ids)).order_by(Comment.created_at,
                                                                      Comment.id)
    return [_item(*row) for row in await uow.session.execute(query)]


def clean_reason(action: str, reason: str) -> str:
    if action not in ACTIONS:
        raise InvalidInput("moderation.bad_action")
    text = normalize_text(reason)
    if action in REASON_REQUIRED and not text:
        raise InvalidInput("moderation.reason_required")
    if len(text) > REASON_MAX:
        raise InvalidInput("moderation.reason_too_long", limit=REASON_MAX)
    return text


async def moderate(
    uow: UnitOfWork, comment_ids: Sequence[int], action: str, reason: str, *,
    agency_id: int | None, actor: str,
) -> int:
    """Apply one moderation action to comments of the caller's agency; returns how many changed.

    All or nothing: one comment of another agency, or of a published round,
    refuses the whole request.
    """
    note = clean_reason(action, reason)
    rows = list(await uow.session.execute(
        select(Comment, Round.agency_id, Round.status)
        .join(Round, Round.id == Comment.round_id)
        .where(Comment.id.in_(comment_ids))
    ))
    if len(rows) != len(set(comment_ids)):
        raise NotFound("comment.not_found")
    for _row, owner, status in rows:
        if agency_id is not None and owner != agency_id:
            raise NotAllowed("moderation.not_your_agency")
        if status == RoundStatus.REPORTED:
            raise InvalidState("moderation.round_reported")
    target = ACTIONS[action]
    for row, _owner, _status in rows:
        previous = row.moderation
        row.moderation, row.moderation_note = target, note or None
        audit.record(uow, actor, "comment.moderate", f"comment:{row.id}",
                     details={"action": action, "from": previous, "to": target,
                              **({"reason": note} if note else {})})
    await uow.session.flush()
    return len(rows)
