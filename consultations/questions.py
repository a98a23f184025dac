"""Questions to the responsible agency (dialogue) and their answers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consultations import audit
from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.text import normalize_text
from consultations.views import QuestionView
from consultations.vocab import MAX_TEXT_LENGTH, QUESTION_DUE_DAYS, QuestionStatus
from storage.models import Agency, Participant, Question, Round
from storage.uow import UnitOfWork


def _view(row: Question) -> QuestionView:
    return QuestionView(
        id=row.id,
        agency_id=row.agency_id,
        round_id=row.round_id,
        body=row.body,
        status=row.status,
        answer=row.answer,
        due_at=row.due_at,
        created_at=row.created_at,
    )


async def ask(
    uow: UnitOfWork,
    *,
    participant_id: int,
    text: str,
    channel: str,
    round_id: int | None = None,
    agency_id: int | None = None,
    due_days: int = QUESTION_DUE_DAYS,
) -> QuestionView:
    """File a question to the round's agency (or a named agency), due in `due_days` days."""
    body = normalize_text(text)
    if not body:
        raise InvalidInput("question.empty")
    if len(body) > MAX_TEXT_LENGTH:
        raise InvalidInput("question.too_long", limit=MAX_TEXT_LENGTH)
    if round_id is not None:
        consultation = await uow.session.get(Round, round_id)
        if consultation is None:
            raise NotFound("round.not_found")
        agency_id = consultation.agency_id
    if agency_id is None or await uow.session.get(Agency, agency_id) is None:
        raise NotFound("agency.not_found")
    if await uow.session.get(Participant, participant_id) is None:
        raise NotFound("participant.not_found")
    now = uow.now()
    row = Question(
        agency_id=agency_id,
        round_id=round_id,
        participant_id=participant_id,
        channel=channel,
        body=body,
        status=QuestionStatus.OPEN,
        due_at=now + timedelta(days=due_days),
        created_at=now,
    )
    uow.session.add(row)
    await uow.session.flush()
    return _view(row)


async def answer(
    uow: UnitOfWork, question_id: int, *, staff_id: int | None, text: str, actor: str
) -> QuestionView:
    """Record the agency's answer; relaying it to the citizen is the caller's next step."""
    row = await uow.session.get(Question, question_id)
    if row is None:
        raise NotFound("question.not_found")
    if row.status != QuestionStatus.OPEN:
        raise InvalidState("question.already_answered")
    body = normalize_text(text)
    if not body:
        raise InvalidInput("answer.empty")
    row.answer, row.answered_by, row.answered_at = body, staff_id, uow.now()
    row.status = QuestionStatus.ANSWERED
    audit.record(uow, actor, "question.answer", f"question:{row.id}", staff_id=staff_id)
    return _view(row)


async def get_question(uow: UnitOfWork, question_id: int) -> QuestionView:
    row = await uow.session.get(Question, question_id)
    if row is None:
        raise NotFound("question.not_found")
    return _view(row)


async def list_mine(uow: UnitOfWork, participant_id: int, limit: int = 10) -> list[QuestionView]:
    rows = await uow.session.scalars(
        select(Question)
        .where(Question.participant_id == participant_id)
        .order_by(Question.id.desc())
        .limit(limit)
    )
    return [_view(row) for row in rows]
