"""Satisfaction: how the agency's answers and rounds were rated (share of 4 and 5 out of 5)."""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select

from consultations.digests.content import Period, Satisfaction
from storage.models import Question, Rating, Round
from storage.uow import UnitOfWork

SATISFIED = 4


async def satisfaction(uow: UnitOfWork, agency_id: int, period: Period) -> Satisfaction:
    """Ratings given in the period and all ratings up to its end, in one aggregate query.

    A rating changed later counts when it was last given (ratings.rate replaces it).
    """
    in_period = and_(Rating.created_at >= period.start, Rating.created_at < period.end)
    satisfied = Rating.score >= SATISFIED
    row = (
        await uow.session.execute(
            select(
                func.count(case((in_period, 1))),
                func.count(case((and_(in_period, satisfied), 1))),
                func.count(),
                func.count(case((satisfied, 1))),
            )
            .select_from(Rating)
            .outerjoin(Question, and_(Rating.target == "question", Question.id == Rating.target_id))
            .outerjoin(Round, and_(Rating.target == "round", Round.id == Rating.target_id))
            .where(
                or_(Question.agency_id == agency_id, Round.agency_id == agency_id),
                Rating.created_at < period.end,
            )
        )
    ).one()
    return Satisfaction(
        period_ratings=row[0], period_satisfied=row[1], total_ratings=row[2], total_satisfied=row[3]
    )
