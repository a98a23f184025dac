"""The agency's questions as a digest shows them: new, due soon, overdue, answered.

Staff act on this list, so each question comes with what they need to answer it
from a chat (its id for `/answer <id> ...`, its due date, its draft) and with the
asker's contact details redacted, since digests go to groups and mailboxes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select

from consultations.digests.content import Period, QuestionItem, QuestionsDigest
from consultations.text import redact_pii
from consultations.vocab import QuestionStatus
from storage.models import Question, Round
from storage.uow import UnitOfWork

DUE_SOON_DAYS = 3
LISTED = 10
QUESTION_CHARS = 300


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def _listing(agency_id: int) -> Select[int, str, datetime, str | None]:
    return (
        select(Question.id, Question.body, Question.due_at, Round.title)
        .outerjoin(Round, Round.id == Question.round_id)
        .where(Question.agency_id == agency_id)
    )


async def _items(
    uow: UnitOfWork, agency_id: int, *conditions: ColumnElement[bool]
) -> tuple[list[QuestionItem], int]:
    """Up to LISTED questions meeting the conditions, soonest due first, and how many in all."""
    rows = await uow.session.execute(
        _listing(agency_id).where(*conditions).order_by(Question.due_at, Question.id).limit(LISTED)
    )
    items = [
        QuestionItem(qid, clip(redact_pii(body), QUESTION_CHARS), due, title)
        for qid, body, due, title in rows
    ]
    count = await uow.session.scalar(
        select(func.count())
        .select_from(Question)
        .where(Question.agency_id == agency_id, *conditions)
    )
    return items, count or 0


async def questions_digest(
    uow: UnitOfWork, agency_id: int, period: Period, *, due_soon_days: int = DUE_SOON_DAYS
) -> QuestionsDigest:
    """Questions asked in the period, open ones due within `due_soon_days`, and overdue ones."""
    now = period.end
    is_open = Question.status == QuestionStatus.OPEN
    new, new_count = await _items(
        uow, agency_id, Question.created_at >= period.start, Question.created_at < period.end
    )
    soon, soon_count = await _items(
        uow,
        agency_id,
        is_open,
        Question.due_at >= now,
        Question.due_at < now + timedelta(days=due_soon_days),
    )
    overdue, overdue_count = await _items(uow, agency_id, is_open, Question.due_at < now)
    answered = await uow.session.scalar(
        select(func.count())
        .select_from(Question)
        .where(
            Question.agency_id == agency_id,
            Question.answered_at >= period.start,
            Question.answered_at < period.end,
        )
    )
    open_total = await uow.session.scalar(
        select(func.count()).select_from(Question).where(Question.agency_id == agency_id, is_open)
    )
    return QuestionsDigest(
        new=new,
        due_soon=soon,
        overdue=overdue,
        new_count=new_count,
        due_soon_count=soon_count,
        overdue_count=overdue_count,
        answered_in_period=answered or 0,
        open_total=open_total or 0,
    )
