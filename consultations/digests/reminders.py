"""Who and what the reminder sweeps remind: unfinished comments before a round closes,
and questions nearing or past their due date.

Both are sweeps with job marks: a reminder goes once per round and person, and
once per question and state (due soon, then overdue), however often they run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from consultations.digests import marks
from consultations.digests.announcements import Recipient
from consultations.digests.questions import QUESTION_CHARS, clip
from consultations.digests.reach import reachable
from consultations.text import redact_pii
from consultations.vocab import Purpose, QuestionStatus, RoundStatus
from storage.models import Consent, DialogState, Participant, Question, Round
from storage.uow import UnitOfWork

CLOSING_JOB = "closing_reminder"
QUESTIONS_JOB = "question_reminder"
CLOSING_WITHIN = timedelta(days=3)
DUE_WITHIN = timedelta(days=3)
OVERDUE_FOR_AT_MOST = timedelta(days=30)  # older ones stay in every digest's overdue list
SOON, OVERDUE = "soon", "overdue"


@dataclass(frozen=True)
class ClosingRound:
    id: int
    title: str
    closes_at: datetime


@dataclass(frozen=True)
class DueQuestion:
    """An open question to remind the agency of, with what staff need to answer it."""

    id: int
    agency_id: int
    text: str
    due_at: datetime
    round_title: str | None
    state: str

    @property
    def key(self) -> str:
        return f"{self.state}:{self.id}"


async def closing_rounds(uow: UnitOfWork) -> list[ClosingRound]:
    """Open rounds that close within CLOSING_WITHIN."""
    now = uow.now()
    rows = await uow.session.execute(
        select(Round.id, Round.title, Round.closes_at).where(
            Round.status == RoundStatus.OPEN,
            Round.closes_at > now,
            Round.closes_at <= now + CLOSING_WITHIN,
        )
    )
    return [ClosingRound(rid, title, closes) for rid, title, closes in rows if closes]


def closing_key(round_id: int, participant_id: int) -> str:
    return f"{round_id}:{participant_id}"


async def unfinished_comments(uow: UnitOfWork, round_id: int) -> list[Recipient]:
    """People part-way through a comment on the round, not yet reminded, reachable by push."""
    rows = await uow.session.execute(
        select(
            Participant.id,
            Participant.channel,
            Participant.channel_user_id,
            Participant.locale,
            Participant.last_seen_at,
        )
        .join(DialogState, DialogState.participant_id == Participant.id)
        .join(Consent, Consent.participant_id == Participant.id)
        .where(
            DialogState.step.startswith("compose_"),
            DialogState.data["round_id"].as_integer() == round_id,
            Consent.purpose == Purpose.PARTICIPATE,
            Consent.withdrawn_at.is_(None),
            Participant.forgotten_at.is_(None),
            Participant.unreachable_at.is_(None),
            Participant.channel_user_id.is_not(None),
        )
        .order_by(Participant.id)
    )
    now = uow.now()
    found = [
        Recipient(pid, channel, str(address), locale)
        for pid, channel, address, locale, seen in rows
        if reachable(channel, seen, now, pulled_ok=False)
    ]
    keys = [closing_key(round_id, r.participant_id) for r in found]
    done = await marks.done(uow, CLOSING_JOB, keys)
    return [r for r in found if closing_key(round_id, r.participant_id) not in done]


async def due_questions(uow: UnitOfWork) -> list[DueQuestion]:
    """Open questions due within DUE_WITHIN or (recently) overdue, not yet reminded of."""
    now = uow.now()
    rows = await uow.session.execute(
        select(Question.id, Question.agency_id, Question.body, Question.due_at, Round.title)
        .outerjoin(Round, Round.id == Question.round_id)
        .where(
            Question.status == QuestionStatus.OPEN,
            Question.due_at < now + DUE_WITHIN,
            Question.due_at >= now - OVERDUE_FOR_AT_MOST,
        )
        .order_by(Question.agency_id, Question.due_at, Question.id)
    )
    found = [
        DueQuestion(
            qid,
            agency_id,
            clip(redact_pii(body), QUESTION_CHARS),
            due,
            title,
            OVERDUE if due < now else SOON,
        )
        for qid, agency_id, body, due, title in rows
    ]
    done = await marks.done(uow, QUESTIONS_JOB, [q.key for q in found])
    return [q for q in found if q.key not in done]
