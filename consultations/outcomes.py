"""The agency's side of a consultation: what became of each comment, and its questions.

The law asks the drafting agency to say for every comment whether it was
accepted (tiếp thu) or explained (giải trình), and to answer questions in
time. Staff do both from a console or a chat; every change is scoped to the
staff member's agency (an admin, with no agency, may act on any) and
audit-logged, because the synthesis report is a public record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from consultations import audit, comments, questions
from consultations.errors import DomainError, InvalidInput, InvalidState, NotFound
from consultations.text import normalize_text
from consultations.views import CommentView, QuestionView
from consultations.vocab import MAX_TEXT_LENGTH, Outcome, QuestionStatus, RoundStatus
from storage.models import Agency, Comment, Participant, Question, Round
from storage.uow import UnitOfWork

NOTE_REQUIRED = frozenset({Outcome.PARTLY_ACCEPTED, Outcome.EXPLAINED})


class NotAllowed(DomainError):
    """The thing exists but belongs to another agency than the one asking."""


@dataclass(frozen=True)
class QuestionBrief:
    """A question with what its notification and its relayed answer need to say."""

    id: int
    agency_id: int
    agency_name: str
    agency_name_en: str | None
    round_title: str | None
    body: str
    answer: str | None
    due_at: datetime


@dataclass(frozen=True)
class Recipient:
    """Where the person who asked a question can be reached, in their language."""

    channel: str
    address: str
    locale: str
    participant_id: int


async def set_outcome(
    uow: UnitOfWork,
    comment_id: int,
    outcome: str,
    note: str | None,
    *,
    agency_id: int | None,
    actor: str,
    staff_id: int | None = None,
) -> CommentView:
    """Record whether a comment was accepted, partly accepted or explained, and why.

    A reason is required unless the comment was simply accepted: the synthesis
    report must explain every comment the agency did not take as it was.
    Rounds already reported are frozen, since their report has been published.
    """
    row = await uow.session.get(Comment, comment_id)
    if row is None:
        raise NotFound("comment.not_found")
    consultation = await uow.session.get(Round, row.round_id)
    assert consultation is not None  # a foreign key
    if agency_id is not None and consultation.agency_id != agency_id:
        raise NotAllowed("outcome.not_your_agency")
    if consultation.status == RoundStatus.REPORTED:
        raise InvalidState("outcome.round_reported")
    if outcome not in set(Outcome):
        raise InvalidInput("outcome.bad_value")
    text = normalize_text(note or "")
    if outcome in NOTE_REQUIRED and not text:
        raise InvalidInput("outcome.note_required")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput("outcome.note_too_long", limit=MAX_TEXT_LENGTH)
    previous = row.outcome
    row.outcome, row.outcome_note, row.outcome_at = outcome, text or None, uow.now()
    audit.record(
        uow,
        actor,
        "comment.outcome",
        f"comment:{row.id}",
        details={"outcome": outcome, "previous": previous},
        staff_id=staff_id,
    )
    await uow.session.flush()
    return await comments.get_comment(uow, comment_id)


async def answer_question(
    uow: UnitOfWork,
    question_id: int,
    text: str,
    *,
    agency_id: int | None,
    staff_id: int | None,
    actor: str,
) -> QuestionView:
    """Answer a question of the asker's own agency; relaying it is the caller's next step."""
    found = await questions.get_question(uow, question_id)
    if agency_id is not None and found.agency_id != agency_id:
        raise NotAllowed("question.not_your_agency")
    return await questions.answer(uow, question_id, staff_id=staff_id, text=text, actor=actor)


async def open_questions(
    uow: UnitOfWork, agency_id: int | None, *, limit: int = 15
) -> list[QuestionBrief]:
    """Questions still waiting for an answer, the one due soonest first."""
    query = (
        _brief_query()
        .where(Question.status == QuestionStatus.OPEN)
        .order_by(Question.due_at, Question.id)
        .limit(limit)
    )
    if agency_id is not None:
        query = query.where(Question.agency_id == agency_id)
    return [_brief(*row) for row in await uow.session.execute(query)]


async def question_brief(uow: UnitOfWork, question_id: int) -> QuestionBrief:
    row = (await uow.session.execute(_brief_query().where(Question.id == question_id))).first()
    if row is None:
        raise NotFound("question.not_found")
    return _brief(*row)


async def answer_recipient(uow: UnitOfWork, question_id: int) -> Recipient | None:
    """The asker's address on the channel they asked from; None once forgotten or unreachable."""
    row = await uow.session.get(Question, question_id)
    if row is None or row.participant_id is None:
        return None
    person = await uow.session.get(Participant, row.participant_id)
    if (
        person is None
        or person.forgotten_at is not None
        or person.unreachable_at is not None
        or not person.channel_user_id
    ):
        return None
    return Recipient(row.channel, person.channel_user_id, person.locale, person.id)


def _brief_query() -> Select[Question, str, str | None, str]:
    return (
        select(Question, Agency.name, Agency.name_en, Round.title)
        .join(Agency, Agency.id == Question.agency_id)
        .outerjoin(Round, Round.id == Question.round_id)
    )


def _brief(
    row: Question, agency_name: str, agency_name_en: str | None, round_title: str | None
) -> QuestionBrief:
    return QuestionBrief(
        id=row.id,
        agency_id=row.agency_id,
        agency_name=agency_name,
        agency_name_en=agency_name_en,
        round_title=round_title,
        body=row.body,
        answer=row.answer,
        due_at=row.due_at,
    )
