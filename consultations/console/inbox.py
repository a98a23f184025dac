"""The questions inbox: citizens' questions to an agency, the one due soonest first.

Answering is consultations.outcomes.answer_question (scoped to the agency,
audited); relaying the answer to the citizen is the caller's next step. The
question is shown with phone numbers, ID numbers and e-mails masked, as in the
staff's chat notification: staff need what was asked, not the asker's contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, select

from consultations.errors import NotFound
from consultations.text import redact_pii
from consultations.vocab import QuestionStatus
from storage.models import Agency, Question, Round, Staff
from storage.uow import UnitOfWork

STATUSES = ("open", "answered", "all")
LIMIT = 200


@dataclass(frozen=True)
class InboxItem:
    id: int
    agency_id: int
    agency_code: str
    round_id: int | None
    round_title: str | None
    channel: str
    body: str
    status: str
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None
    due_at: datetime
    created_at: datetime
    overdue: bool


@dataclass(frozen=True)
class InboxCounts:
    open: int
    overdue: int


def _query() -> Select[Question, str, str | None, str | None]:
    return (
        select(Question, Agency.code, Round.title, Staff.display_name)
        .join(Agency, Agency.id == Question.agency_id)
        .outerjoin(Round, Round.id == Question.round_id)
        .outerjoin(Staff, Staff.id == Question.answered_by)
    )


def _item(row: Question, code: str, title: str | None, by: str | None,
          now: datetime) -> InboxItem:
    return InboxItem(
        id=row.id, agency_id=row.agency_id, agency_code=code, round_id=row.round_id,
        round_title=title, channel=row.channel, body=redact_pii(row.body), status=row.status,
        answer=row.answer, answered_by=by, answered_at=row.answered_at, due_at=row.due_at,
        created_at=row.created_at,
        overdue=row.status == QuestionStatus.OPEN and row.due_at < now,
    )


async def list_questions(
    uow: UnitOfWork, *, agency_id: int | None, status: str, now: datetime
) -> list[InboxItem]:
    """Questions of the agency (all agencies for None): open ones first, by due date."""
    query = _query()
    if agency_id is not None:
        query = query.where(Question.agency_id == agency_id)
    if status in (QuestionStatus.OPEN, QuestionStatus.ANSWERED):
        query = query.where(Question.status == status)
    open_first = case((Question.status == QuestionStatus.OPEN, 0), else_=1)
    query = query.order_by(open_first, Question.due_at, Question.id).limit(LIMIT)
    return [_item(*row, now) for row in await uow.session.execute(query)]


async def question_item(uow: UnitOfWork, question_id: int, now: datetime) -> InboxItem:
    found = (await uow.session.execute(_query().where(Question.id == question_id))).first()
    if found is None:
        raise NotFound("question.not_found")
    return _item(*found, now)


async def counts(uow: UnitOfWork, *, agency_id: int | None, now: datetime) -> InboxCounts:
    """Open questions, and how many of them are past their due date."""
    query = select(
        func.count(), func.count(case((Question.due_at < now, 1)))
    ).where(Question.status == QuestionStatus.OPEN)
    if agency_id is not None:
        query = query.where(Question.agency_id == agency_id)
    total, late = (await uow.session.execute(query)).one()
    return InboxCounts(int(total), int(late))
