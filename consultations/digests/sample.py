"""A bounded, evenly spread sample of a round's comments, for themes and campaigns.

Reading every comment of a busy period into Python would make a digest's cost grow
with the round; a sample does not. When the period has no more comments than the
sample size, the "sample" is the whole period and what is drawn from it is exact.
Otherwise it is stratified: the period's id range is cut into equal slices and the
first comments of each slice are taken (an index seek each), so a campaign that
filled one afternoon is seen as surely as steady traffic. Ids grow with time, so an
id range stands for a stretch of time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from consultations.digests.content import Period
from consultations.vocab import Moderation
from storage.models import Comment
from storage.uow import UnitOfWork

SAMPLE_SIZE = 2000
REFERENCE_SIZE = 1000
STRATA = 20


@dataclass(frozen=True)
class Sampled:
    """One sampled comment: what themes and campaign detection need, nothing more."""

    id: int
    section_id: int | None
    body: str
    fingerprint: str
    cosign_count: int


SampleQuery = Select[int, int | None, str, str, int]


def _base(round_id: int) -> SampleQuery:
    return (
        select(
            Comment.id, Comment.section_id, Comment.body, Comment.fingerprint, Comment.cosign_count
        )
        .where(Comment.round_id == round_id, Comment.moderation == Moderation.VISIBLE)
        .order_by(Comment.id)
    )


async def period_sample(
    uow: UnitOfWork,
    round_id: int,
    period: Period,
    first_id: int,
    last_id: int,
    total: int,
    size: int = SAMPLE_SIZE,
) -> list[Sampled]:
    """Visible comments of the period: all of them when they fit, else a stratified sample."""
    base = _base(round_id).where(
        Comment.created_at >= period.start, Comment.created_at < period.end
    )
    if total <= size:
        rows = await uow.session.execute(base.limit(size))
        return [Sampled(*row) for row in rows]
    return await _stratified(uow, base, first_id, last_id, size)


async def reference_sample(
    uow: UnitOfWork, round_id: int, before: Period, size: int = REFERENCE_SIZE
) -> list[Sampled]:
    """Visible comments of the round written before the period: what 'usual' sounds like."""
    bounds = select(Comment.id).where(Comment.round_id == round_id)
    first = await uow.session.scalar(bounds.order_by(Comment.round_id, Comment.created_at).limit(1))
    last = await uow.session.scalar(
        bounds.where(Comment.created_at < before.start)
        .order_by(Comment.round_id.desc(), Comment.created_at.desc())
        .limit(1)
    )
    if first is None or last is None:
        return []
    base = _base(round_id).where(Comment.created_at < before.start)
    return await _stratified(uow, base, min(first, last), last, size)


async def _stratified(
    uow: UnitOfWork, base: SampleQuery, first_id: int, last_id: int, size: int
) -> list[Sampled]:
    """The first comments of each of STRATA equal slices of [first_id, last_id]."""
    span = last_id - first_id + 1
    strata = min(STRATA, size, span)
    per_stratum = max(1, size // strata)
    found: dict[int, Sampled] = {}
    for index in range(strata):
        low = first_id + span * index // strata
        high = first_id + span * (index + 1) // strata
        query = base.where(Comment.id >= low, Comment.id < high)
        for row in await uow.session.execute(query.limit(per_stratum)):
            found[row[0]] = Sampled(*row)
    return [found[key] for key in sorted(found)]
