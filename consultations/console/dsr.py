"""Data-subject requests received outside the chat: a copy of one's data, or its erasure.

In the chat a person gets either at once (consultations.privacy). A request by
letter, e-mail or at the counter is recorded here with its legal deadline and
then carried out from the console with the same two functions. Everything is
audited: recording, each export, the erasure.

Deadlines. Decree 13/2023/NĐ-CP on personal data protection gives the
controller 72 hours from the request to provide a person's data (Art. 14(3))
and to erase it (Art. 16(3)). The Law on Personal Data Protection
(91/2025/QH15, in force 1 January 2026) leaves time limits to its implementing
decree. We assume 72 hours for both until legal counsel says otherwise; the
constants below are the one place to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import aliased

from consultations import audit, privacy
from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.text import normalize_line, normalize_text
from storage.models import Comment, Participant, PrivacyRequest, Question, Staff
from storage.uow import UnitOfWork

COPY_DEADLINE = timedelta(hours=72)  # Decree 13/2023/NĐ-CP Art. 14(3)
ERASURE_DEADLINE = timedelta(hours=72)  # Decree 13/2023/NĐ-CP Art. 16(3)
DEADLINES = {"copy": COPY_DEADLINE, "erasure": ERASURE_DEADLINE}
KINDS = tuple(DEADLINES)
VIAS = ("letter", "email", "in_person", "phone", "other")
REFERENCE_MAX, NOTE_MAX, USER_ID_MAX = 100, 2000, 128
OLDEST = timedelta(days=366)  # a request received longer ago is a typing mistake


@dataclass(frozen=True)
class NewRequest:
    """What staff type in: who (channel and that channel's user id), what, when, how."""

    channel: str
    channel_user_id: str
    kind: str
    received_at: datetime
    received_via: str
    reference: str
    note: str


@dataclass(frozen=True)
class RequestView:
    id: int
    participant_id: int | None
    channel: str | None
    forgotten: bool
    comments: int
    questions: int
    kind: str
    received_at: datetime
    received_via: str
    reference: str
    note: str
    due_at: datetime
    recorded_at: datetime
    recorded_by: str | None
    completed_at: datetime | None
    completed_by: str | None
    result: str | None
    overdue: bool

    @property
    def done(self) -> bool:
        return self.completed_at is not None


async def find_participant(uow: UnitOfWork, channel: str, channel_user_id: str) -> int:
    """The participant with that id on that channel (forgotten ones no longer have one)."""
    found = await uow.session.scalar(
        select(Participant.id).where(
            Participant.channel == channel, Participant.channel_user_id == channel_user_id
        )
    )
    if found is None:
        raise NotFound("privacy.participant_not_found")
    return found


def _check(new: NewRequest, now: datetime) -> None:
    if new.kind not in KINDS or new.received_via not in VIAS:
        raise InvalidInput("privacy.bad_choice")
    if new.received_at > now:
        raise InvalidInput("privacy.received_in_future")
    if new.received_at < now - OLDEST:
        raise InvalidInput("privacy.received_too_old")
    if len(new.reference) > REFERENCE_MAX or len(new.note) > NOTE_MAX:
        raise InvalidInput("privacy.too_long")


async def record_request(
    uow: UnitOfWork, new: NewRequest, *, staff_id: int | None, actor: str
) -> int:
    """Record a request received; its deadline runs from when it was received."""
    _check(new, uow.now())
    participant_id = await find_participant(uow, new.channel, new.channel_user_id)
    row = PrivacyRequest(
        participant_id=participant_id, kind=new.kind, received_at=new.received_at,
        received_via=new.received_via, reference=normalize_line(new.reference),
        note=normalize_text(new.note), due_at=new.received_at + DEADLINES[new.kind],
        recorded_at=uow.now(), recorded_by=staff_id,
    )
    uow.session.add(row)
    await uow.session.flush()
    audit.record(uow, actor, "privacy.request_recorded", f"privacy_request:{row.id}",
                 details={"kind": row.kind, "via": row.received_via,
                          "participant_id": participant_id}, staff_id=staff_id)
    return row.id


def _query() -> Select[Any]:
    recorder, completer = aliased(Staff), aliased(Staff)
    comments = (select(func.count()).where(Comment.participant_id == PrivacyRequest.participant_id)
                .correlate(PrivacyRequest).scalar_subquery())
    questions = (select(func.count())
                 .where(Question.participant_id == PrivacyRequest.participant_id)
                 .correlate(PrivacyRequest).scalar_subquery())
    return (
        select(PrivacyRequest, Participant.channel, Participant.forgotten_at,
               recorder.display_name, completer.display_name, comments, questions)
        .outerjoin(Participant, Participant.id == PrivacyRequest.participant_id)
        .outerjoin(recorder, recorder.id == PrivacyRequest.recorded_by)
        .outerjoin(completer, completer.id == PrivacyRequest.completed_by)
    )


def _view(found: Any, now: datetime) -> RequestView:
    row, channel, forgotten_at, recorder, completer, comments, questions = found
    return RequestView(
        id=row.id, participant_id=row.participant_id, channel=channel,
        forgotten=forgotten_at is not None, comments=int(comments), questions=int(questions),
        kind=row.kind, received_at=row.received_at, received_via=row.received_via,
        reference=row.reference, note=row.note, due_at=row.due_at, recorded_at=row.recorded_at,
        recorded_by=recorder, completed_at=row.completed_at, completed_by=completer,
        result=row.result, overdue=row.completed_at is None and row.due_at < now,
    )


async def list_requests(uow: UnitOfWork, now: datetime, limit: int = 200) -> list[RequestView]:
    """Requests still to do first, the one due soonest on top; then done ones, newest first."""
    open_first = case((PrivacyRequest.completed_at.is_(None), 0), else_=1)
    query = _query().order_by(open_first, PrivacyRequest.due_at, PrivacyRequest.id.desc())
    return [_view(found, now) for found in await uow.session.execute(query.limit(limit))]


async def get_request(uow: UnitOfWork, request_id: int, now: datetime) -> RequestView:
    found = (await uow.session.execute(_query().where(PrivacyRequest.id == request_id))).first()
    if found is None:
        raise NotFound("privacy.request_not_found")
    return _view(found, now)


async def _open_row(uow: UnitOfWork, request_id: int) -> PrivacyRequest:
    row = await uow.session.get(PrivacyRequest, request_id)
    if row is None:
        raise NotFound("privacy.request_not_found")
    if row.participant_id is None:
        raise InvalidState("privacy.already_erased")
    person = await uow.session.get(Participant, row.participant_id)
    if person is None or person.forgotten_at is not None:
        raise InvalidState("privacy.already_erased")
    return row


def _complete(uow: UnitOfWork, row: PrivacyRequest, result: str, staff_id: int | None) -> None:
    if row.completed_at is None:
        row.completed_at, row.completed_by, row.result = uow.now(), staff_id, result


async def export_for(
    uow: UnitOfWork, request_id: int, *, staff_id: int | None, actor: str
) -> dict[str, Any]:
    """The person's data as JSON values; the first export completes a copy request."""
    row = await _open_row(uow, request_id)
    assert row.participant_id is not None  # _open_row checked
    data = await privacy.export_data(uow, row.participant_id)
    if row.kind == "copy":
        _complete(uow, row, "exported", staff_id)
    audit.record(uow, actor, "privacy.export", f"privacy_request:{row.id}",
                 details={"participant_id": row.participant_id}, staff_id=staff_id)
    return {"request": {"id": row.id, "kind": row.kind,
                        "received_at": row.received_at.isoformat(),
                        "exported_at": uow.now().isoformat()},
            **data}


async def erase_for(
    uow: UnitOfWork, request_id: int, *, staff_id: int | None, actor: str
) -> None:
    """Erase the person's data (privacy.forget) and complete an erasure request."""
    row = await _open_row(uow, request_id)
    if row.kind != "erasure":
        raise InvalidState("privacy.not_erasure")
    assert row.participant_id is not None  # _open_row checked
    await privacy.forget(uow, row.participant_id)
    _complete(uow, row, "erased", staff_id)
    audit.record(uow, actor, "privacy.erase", f"privacy_request:{row.id}",
                 details={"participant_id": row.participant_id}, staff_id=staff_id)
    await uow.session.flush()
