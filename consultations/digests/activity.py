"""Counting a round's comments and co-signatures in a period, in SQL.

Every figure here is a GROUP BY or COUNT the database answers from an index
(ix_comments_digest_period, ix_cosignatures_created_comment); no comment is loaded
into Python, so a round of a million comments costs a few index scans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from consultations.digests.content import ArticleActivity, Period, RoundTotals
from consultations.vocab import RoundStatus
from storage.models import Comment, CoSignature, Round, Section
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class RoundRow:
    id: int
    title: str
    status: str
    closes_at: datetime | None


@dataclass(frozen=True)
class Breakdown:
    """A period's comments of one round, counted every way the digest shows them."""

    comments: int
    cosignatures: int
    by_article: list[ArticleActivity]
    by_stance: dict[str, int]
    by_kind: dict[str, int]
    first_id: int | None
    last_id: int | None


async def rounds_in_period(uow: UnitOfWork, agency_id: int, period: Period) -> list[RoundRow]:
    """The agency's rounds open at some time in the period (open now, or closed within it)."""
    rows = await uow.session.execute(
        select(Round.id, Round.title, Round.status, Round.closes_at)
        .where(
            Round.agency_id == agency_id,
            or_(
                Round.status == RoundStatus.OPEN,
                Round.closed_at >= period.start,
            ),
            or_(Round.opens_at.is_(None), Round.opens_at < period.end),
        )
        .order_by(Round.closes_at, Round.id)
    )
    return [RoundRow(*row) for row in rows]


def _in_period(
    column: InstrumentedAttribute[datetime], period: Period
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return column >= period.start, column < period.end


async def breakdown(uow: UnitOfWork, round_id: int, period: Period) -> Breakdown:
    """New comments by article, stance and kind (one grouped scan), plus co-signatures."""
    grouped = await uow.session.execute(
        select(
            Comment.section_id,
            Comment.stance,
            Comment.respondent_kind,
            func.count(),
            func.min(Comment.id),
            func.max(Comment.id),
        )
        .where(Comment.round_id == round_id, *_in_period(Comment.created_at, period))
        .group_by(Comment.section_id, Comment.stance, Comment.respondent_kind)
    )
    per_section: dict[int | None, int] = {}
    by_stance: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    ids: list[int] = []
    for section_id, stance, kind, count, low, high in grouped:
        per_section[section_id] = per_section.get(section_id, 0) + count
        by_stance[stance] = by_stance.get(stance, 0) + count
        by_kind[kind] = by_kind.get(kind, 0) + count
        ids += [low, high]
    cosigned = await _cosignatures(uow, round_id, period)
    for (_section, kind), count in cosigned.items():
        by_kind[kind] = by_kind.get(kind, 0) + count
    per_section_cosigned: dict[int | None, int] = {}
    for (section_id, _kind), count in cosigned.items():
        per_section_cosigned[section_id] = per_section_cosigned.get(section_id, 0) + count
    articles = await _articles(uow, round_id, per_section, per_section_cosigned)
    return Breakdown(
        comments=sum(per_section.values()),
        cosignatures=sum(cosigned.values()),
        by_article=articles,
        by_stance=by_stance,
        by_kind=by_kind,
        first_id=min(ids) if ids else None,
        last_id=max(ids) if ids else None,
    )


async def _cosignatures(
    uow: UnitOfWork, round_id: int, period: Period
) -> dict[tuple[int | None, str], int]:
    """Co-signatures given in the period, by the co-signed comment's article and signer kind."""
    rows = await uow.session.execute(
        select(Comment.section_id, CoSignature.respondent_kind, func.count())
        .join(Comment, Comment.id == CoSignature.comment_id)
        .where(Comment.round_id == round_id, *_in_period(CoSignature.created_at, period))
        .group_by(Comment.section_id, CoSignature.respondent_kind)
    )
    return {(section_id, kind): count for section_id, kind, count in rows}


async def _articles(
    uow: UnitOfWork,
    round_id: int,
    comments: dict[int | None, int],
    cosignatures: dict[int | None, int],
) -> list[ArticleActivity]:
    """Articles with activity, the most discussed first (then in document order)."""
    wanted = [s for s in set(comments) | set(cosignatures) if s is not None]
    sections = {
        row.id: row
        for row in await uow.session.scalars(select(Section).where(Section.id.in_(wanted)))
    }
    found = []
    for section_id in set(comments) | set(cosignatures):
        section = sections.get(section_id) if section_id is not None else None
        found.append(
            ArticleActivity(
                section_id=section_id,
                label=section.label if section else "",
                heading=section.heading if section else "",
                comments=comments.get(section_id, 0),
                cosignatures=cosignatures.get(section_id, 0),
            )
        )
    ordinal = {sid: s.ordinal for sid, s in sections.items()}
    found.sort(key=lambda a: (-a.activity, ordinal.get(a.section_id, -1) if a.section_id else -1))
    return found


async def totals(uow: UnitOfWork, round_id: int, end: datetime) -> RoundTotals:
    """The round's comments before `end` and the co-signatures they have gathered to date.

    One index-only pass (cosign_count is in ix_comments_digest_period); co-signatures
    are counted to date rather than to `end`, which differs only for a digest rebuilt
    long after its period.
    """
    row = (
        await uow.session.execute(
            select(func.count(), func.coalesce(func.sum(Comment.cosign_count), 0)).where(
                Comment.round_id == round_id, Comment.created_at < end
            )
        )
    ).one()
    return RoundTotals(comments=int(row[0]), cosignatures=int(row[1]))
