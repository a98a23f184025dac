"""A participant's rights over their data: a copy, and being forgotten."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from consultations import audit
from consultations.errors import NotFound
from storage.models import (
    Comment,
    Consent,
    CoSignature,
    DialogState,
    OutboxMessage,
    Participant,
    Question,
    Rating,
    Subscription,
)
from storage.uow import UnitOfWork


async def export_data(uow: UnitOfWork, participant_id: int) -> dict[str, Any]:
    """Everything stored about a participant, as plain JSON-ready values."""
    row = await uow.session.get(Participant, participant_id)
    if row is None or row.forgotten_at is not None:
        raise NotFound("participant.not_found")
    session = uow.session
    consents = await session.scalars(select(Consent).where(Consent.participant_id == row.id))
    comments = await session.scalars(select(Comment).where(Comment.participant_id == row.id))
    questions = await session.scalars(select(Question).where(Question.participant_id == row.id))
    follows = await session.scalars(
        select(Subscription).where(Subscription.participant_id == row.id)
    )
    return {
        "participant": {
            "channel": row.channel,
            "kind": row.kind,
            "organisation": row.organisation,
            "locale": row.locale,
            "created_at": row.created_at.isoformat(),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "text_version": c.text_version,
                "granted_at": c.granted_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in consents
        ],
        "comments": [
            {
                "id": c.id,
                "round_id": c.round_id,
                "stance": c.stance,
                "body": c.body,
                "created_at": c.created_at.isoformat(),
                "outcome": c.outcome,
            }
            for c in comments
        ],
        "questions": [
            {
                "id": q.id,
                "body": q.body,
                "status": q.status,
                "answer": q.answer,
                "created_at": q.created_at.isoformat(),
            }
            for q in questions
        ],
        "subscriptions": [{"target": s.target, "target_id": s.target_id} for s in follows],
    }


async def forget(uow: UnitOfWork, participant_id: int) -> None:
    """Erase personal data at once; comments stay in the public record, anonymous.

    The participant row stays as a tombstone without its channel id, so the
    count of distinct respondents in past reports does not change.
    """
    row = await uow.session.get(Participant, participant_id)
    if row is None or row.forgotten_at is not None:
        return
    session, pid = uow.session, row.id
    await session.execute(
        update(Comment)
        .where(Comment.participant_id == pid)
        .values(participant_id=None, organisation=None)
    )
    await session.execute(
        update(CoSignature).where(CoSignature.participant_id == pid).values(participant_id=None)
    )
    await session.execute(
        update(Question).where(Question.participant_id == pid).values(participant_id=None)
    )
    await session.execute(
        update(Rating).where(Rating.participant_id == pid).values(participant_id=None)
    )
    for model in (Consent, Subscription, DialogState):
        await session.execute(delete(model).where(model.participant_id == pid))
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.participant_id == pid, OutboxMessage.status != "sent"
        )
    )
    row.channel_user_id, row.organisation, row.forgotten_at = None, None, uow.now()
    audit.record(uow, "participant", "participant.forget", f"participant:{pid}")
