"""Ratings 1-5 of answers and rounds: the satisfaction the province reports on."""

from __future__ import annotations

from sqlalchemy import select

from consultations.errors import InvalidInput, NotFound
from storage.models import Question, Rating, Round
from storage.uow import UnitOfWork

TARGETS = {"question": Question, "round": Round}


async def rate(
    uow: UnitOfWork, *, participant_id: int, target: str, target_id: int, score: int
) -> None:
    """Store or replace the participant's rating of one answer or round."""
    if not 1 <= score <= 5:
        raise InvalidInput("rating.out_of_range")
    model = TARGETS.get(target)
    if model is None or await uow.session.get(model, target_id) is None:
        raise NotFound("rating.target_not_found")
    row = await uow.session.scalar(
        select(Rating).where(
            Rating.participant_id == participant_id,
            Rating.target == target,
            Rating.target_id == target_id,
        )
    )
    if row is None:
        uow.session.add(
            Rating(
                participant_id=participant_id,
                target=target,
                target_id=target_id,
                score=score,
                created_at=uow.now(),
            )
        )
    else:
        row.score, row.created_at = score, uow.now()
