"""The synthesis table as data, built in SQL: header, per-article counts and streamed rows.

Only counts are aggregated in memory; the rows of the table are streamed in
document order (the whole draft first, then article by article, earliest
comment first), so a round of a million comments is never loaded at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, select, union_all

from consultations.errors import NotFound
from consultations.reports import labels
from consultations.reports.cells import printable, public
from consultations.reports.data import PENDING, ArticleSummary, ReportHeader, SynthesisRow
from consultations.reports.grouping import Grouping, group_near_duplicates
from consultations.reports.streaming import stream_rows
from consultations.vocab import Moderation, RespondentKind, RoundStatus
from storage.models import Agency, Comment, CoSignature, Round, Section
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Synthesis:
    """What a report needs besides its rows; the rows come from `synthesis_rows`."""

    header: ReportHeader
    articles: list[ArticleSummary]
    grouping: Grouping


async def prepare(uow: UnitOfWork, round_id: int) -> Synthesis:
    """Group near-duplicates and count everything the header and summary show."""
    consultation, agency_name = await round_with_agency(uow, round_id)
    grouping = await group_near_duplicates(uow, round_id)
    articles = await article_summaries(uow, round_id)
    header = await _header(uow, consultation, agency_name, articles, grouping)
    return Synthesis(header, articles, grouping)


async def synthesis_table(uow: UnitOfWork, round_id: int) -> tuple[Synthesis, list[SynthesisRow]]:
    """The whole table in memory: for small rounds, tests and previews."""
    synthesis = await prepare(uow, round_id)
    rows = [row async for row in synthesis_rows(uow, round_id, synthesis.grouping)]
    return synthesis, rows


async def round_with_agency(uow: UnitOfWork, round_id: int) -> tuple[Round, str]:
    """The round and its agency's name (the report header and open data need both)."""
    found = (
        await uow.session.execute(
            select(Round, Agency.name)
            .join(Agency, Agency.id == Round.agency_id)
            .where(Round.id == round_id)
        )
    ).first()
    if found is None:
        raise NotFound("round.not_found")
    return found[0], found[1]


async def _header(
    uow: UnitOfWork,
    consultation: Round,
    agency_name: str,
    articles: list[ArticleSummary],
    grouping: Grouping,
) -> ReportHeader:
    outcomes: dict[str, int] = {}
    for article in articles:
        for code, count in article.by_outcome.items():
            outcomes[code] = outcomes.get(code, 0) + count
    comments = sum(a.comments for a in articles)
    ended = consultation.status in (RoundStatus.CLOSED, RoundStatus.REPORTED)
    return ReportHeader(
        round_id=consultation.id,
        title=printable(consultation.title),
        agency_name=printable(agency_name),
        status=consultation.status,
        opens_at=consultation.opens_at,
        closes_at=(consultation.closed_at if ended else None) or consultation.closes_at,
        generated_at=uow.now(),
        comments=comments,
        rows=comments - grouping.folded_count,
        near_duplicates=grouping.folded_count,
        cosignatures=sum(a.cosignatures for a in articles),
        excluded=await excluded_counts(uow, consultation.id),
        respondents=await respondents(uow, consultation.id),
        outcomes=outcomes,
    )


async def excluded_counts(uow: UnitOfWork, round_id: int) -> dict[str, int]:
    rows = await uow.session.execute(
        select(Comment.moderation, func.count())
        .where(Comment.round_id == round_id, Comment.moderation != Moderation.VISIBLE)
        .group_by(Comment.moderation)
    )
    return {status: count for status, count in rows}


async def respondents(uow: UnitOfWork, round_id: int) -> dict[str, int]:
    """Distinct people by kind among authors and co-signers of visible comments.

    A forgotten person's comments no longer point to them, so each such
    comment or signature counts as one respondent.
    """
    visible = (Comment.round_id == round_id, Comment.moderation == Moderation.VISIBLE)
    people = union_all(
        select(Comment.respondent_kind.label("kind"), Comment.participant_id.label("pid")).where(
            *visible
        ),
        select(CoSignature.respondent_kind, CoSignature.participant_id)
        .join(Comment, Comment.id == CoSignature.comment_id)
        .where(*visible),
    ).subquery()
    anonymous = func.sum(case((people.c.pid.is_(None), 1), else_=0))
    query = select(people.c.kind, func.count(people.c.pid.distinct()) + anonymous).group_by(
        people.c.kind
    )
    return {kind: int(count) for kind, count in (await uow.session.execute(query))}


@dataclass
class _Tally:
    """Counts of one article, added up from (stance, outcome) groups."""

    comments: int = 0
    cosignatures: int = 0
    by_stance: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)

    def add(self, stance: str, outcome: str, count: int, cosigns: int) -> None:
        self.comments += count
        self.cosignatures += int(cosigns)
        self.by_stance[stance] = self.by_stance.get(stance, 0) + count
        self.by_outcome[outcome] = self.by_outcome.get(outcome, 0) + count


async def article_summaries(uow: UnitOfWork, round_id: int) -> list[ArticleSummary]:
    """Counts per article in document order, the whole draft first; every article is listed."""
    counted = await uow.session.execute(
        select(
            Comment.section_id,
            Comment.stance,
            Comment.outcome,
            func.count(),
            func.coalesce(func.sum(Comment.cosign_count), 0),
        )
        .where(Comment.round_id == round_id, Comment.moderation == Moderation.VISIBLE)
        .group_by(Comment.section_id, Comment.stance, Comment.outcome)
    )
    tallies: dict[int | None, _Tally] = {}
    for section_id, stance, outcome, count, cosigns in counted:
        tallies.setdefault(section_id, _Tally()).add(stance, outcome or PENDING, count, cosigns)
    sections = await uow.session.execute(
        select(Section.id, Section.label, Section.heading)
        .where(
            Section.round_id == round_id,
            (Section.kind == "article") | Section.id.in_([s for s in tallies if s is not None]),
        )
        .order_by(Section.ordinal)
    )
    order: list[tuple[int | None, str | None, str]] = [(None, None, "")]
    order += [(sid, printable(label), printable(heading)) for sid, label, heading in sections]
    return [_summary(sid, label, heading, tallies.get(sid)) for sid, label, heading in order]


def _summary(
    section_id: int | None, label: str | None, heading: str, tally: _Tally | None
) -> ArticleSummary:
    tally = tally or _Tally()
    return ArticleSummary(
        section_id=section_id,
        label=label,
        heading=heading,
        comments=tally.comments,
        cosignatures=tally.cosignatures,
        by_stance=tally.by_stance,
        by_outcome=tally.by_outcome,
    )


async def synthesis_rows(
    uow: UnitOfWork, round_id: int, grouping: Grouping
) -> AsyncIterator[SynthesisRow]:
    """The table's rows, streamed in document order; folded near-duplicates are skipped."""
    query = (
        select(
            Comment.id,
            Comment.respondent_kind,
            Comment.organisation,
            Comment.stance,
            Comment.body,
            Comment.outcome,
            Comment.outcome_note,
            Comment.cosign_count,
            Section.label,
            Section.heading,
        )
        .outerjoin(Section, Section.id == Comment.section_id)
        .where(Comment.round_id == round_id, Comment.moderation == Moderation.VISIBLE)
        .order_by(Section.ordinal.asc().nulls_first(), Comment.created_at, Comment.id)
    )
    ordinal = 0
    async for row in stream_rows(uow, query):
        if grouping.is_folded(row.id):
            continue
        ordinal += 1
        yield _row(ordinal, row, grouping)


@lru_cache(maxsize=4096)
def _commenter(kind: str, organisation: str | None) -> str:
    """The organisation for a business; 'Công dân' for a citizen (no names are stored)."""
    if kind == RespondentKind.BUSINESS:
        return public(organisation) or labels.BUSINESS
    return labels.KINDS.get(kind, labels.CITIZEN)


@lru_cache(maxsize=4096)
def _article(label: str | None, heading: str | None) -> str:
    """A round has a few dozen articles: clean each title once, not once per comment."""
    return labels.article_title(printable(label), printable(heading))


def _row(ordinal: int, row: Any, grouping: Grouping) -> SynthesisRow:
    return SynthesisRow(
        ordinal=ordinal,
        comment_id=row.id,
        commenter=_commenter(row.respondent_kind, row.organisation),
        respondent_kind=row.respondent_kind,
        article=_article(row.label, row.heading),
        stance=row.stance,
        comment=public(row.body),
        outcome=row.outcome,
        reason=public(row.outcome_note),
        near_duplicates=grouping.near_duplicates(row.id),
        cosignatures=row.cosign_count + grouping.cosignatures_of_members(row.id),
    )
