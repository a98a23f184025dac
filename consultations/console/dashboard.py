"""A round's dashboard: participation over time, stance per article, who took part,
what they talk about, and how satisfied they were with the answers.

Everything is counted in SQL. Themes reuse the digests' key phrases over a
bounded, evenly spread sample with one comment per near-duplicate group, so a
campaign counts once and a large round costs no more than a digest does.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select

from consultations.digests import activity, campaigns
from consultations.digests.assemble import example
from consultations.digests.content import Period
from consultations.digests.sample import period_sample
from consultations.digests.satisfaction import SATISFIED
from consultations.digests.themes import Doc, key_phrases
from consultations.errors import NotFound
from consultations.reports.data import ArticleSummary
from consultations.reports.synthesis import article_summaries, respondents
from consultations.vocab import QuestionStatus
from storage.models import Comment, Question, Rating, Round
from storage.uow import UnitOfWork

MAX_DAYS = 92  # the chart shows at most the last three months of a round
DAYS_PER_QUERY = 46
THEME_SAMPLE = 1000
TOP_THEMES = 8


@dataclass(frozen=True)
class DayCount:
    day: date
    comments: int


@dataclass(frozen=True)
class ThemeItem:
    phrase: str
    comments: int
    example_id: int
    example: str


@dataclass(frozen=True)
class Satisfaction:
    """Ratings (1-5) of the round and of the answers to its questions; 4 and 5 are satisfied."""

    ratings: int
    satisfied: int

    @property
    def share(self) -> float | None:
        return self.satisfied / self.ratings if self.ratings else None


@dataclass(frozen=True)
class Dashboard:
    per_day: list[DayCount]
    articles: list[ArticleSummary]
    respondents: dict[str, int]
    themes: list[ThemeItem]
    satisfaction: Satisfaction
    comments: int
    questions: dict[str, int] = field(default_factory=dict)


def _day_starts(first: date, last: date, tz: ZoneInfo) -> list[datetime]:
    """Local midnights from `first` to the day after `last`, as aware datetimes."""
    days = (last - first).days + 1
    return [datetime.combine(first + timedelta(days=n), time(), tz) for n in range(days + 1)]


async def comments_per_day(
    uow: UnitOfWork, round_id: int, start: datetime, end: datetime, tz: ZoneInfo
) -> list[DayCount]:
    """Comments received each local day from `start` to `end` (every day listed, zeros too).

    One conditional count per day, a few dozen days per query: portable SQL with
    no time zone functions, answered from the (round_id, created_at) index.
    """
    last = end.astimezone(tz).date()
    first = max(start.astimezone(tz).date(), last - timedelta(days=MAX_DAYS - 1))
    bounds = _day_starts(first, last, tz)
    found: list[DayCount] = []
    for offset in range(0, len(bounds) - 1, DAYS_PER_QUERY):
        chunk = bounds[offset: offset + DAYS_PER_QUERY + 1]
        columns = [
            func.count(case((and_(Comment.created_at >= low, Comment.created_at < high), 1)))
            for low, high in itertools.pairwise(chunk)
        ]
        row = (await uow.session.execute(
            select(*columns).where(Comment.round_id == round_id, Comment.created_at >= chunk[0],
                                   Comment.created_at < chunk[-1])
        )).one()
        found += [DayCount(low.date(), int(n)) for low, n in zip(chunk, row, strict=False)]
    return found


async def themes(uow: UnitOfWork, round_id: int, period: Period) -> list[ThemeItem]:
    """Key phrases of the round's visible comments, one comment per near-duplicate group."""
    counted = await activity.breakdown(uow, round_id, period)
    if not counted.comments or counted.first_id is None or counted.last_id is None:
        return []
    sample = await period_sample(uow, round_id, period, counted.first_id, counted.last_id,
                                 counted.comments, THEME_SAMPLE)
    groups = campaigns.group(sample, await campaigns.bands_of(uow, [s.id for s in sample]))
    docs = sorted((Doc(members[0].id, members[0].body) for members in groups),
                  key=lambda d: d.id)
    return [
        ThemeItem(hit.phrase, hit.comments, hit.example.id, example(hit.example.text))
        for hit in key_phrases(docs, [], top=TOP_THEMES)
    ]


async def satisfaction(uow: UnitOfWork, round_id: int) -> Satisfaction:
    row = (await uow.session.execute(
        select(func.count(), func.count(case((Rating.score >= SATISFIED, 1))))
        .select_from(Rating)
        .outerjoin(Question, and_(Rating.target == "question", Question.id == Rating.target_id))
        .where(or_(and_(Rating.target == "round", Rating.target_id == round_id),
                   Question.round_id == round_id))
    )).one()
    return Satisfaction(int(row[0]), int(row[1]))


async def question_counts(uow: UnitOfWork, round_id: int, now: datetime) -> dict[str, int]:
    late = and_(Question.status == QuestionStatus.OPEN, Question.due_at < now)
    row = (await uow.session.execute(
        select(func.count(), func.count(case((Question.status == QuestionStatus.OPEN, 1))),
               func.count(case((late, 1))))
        .where(Question.round_id == round_id)
    )).one()
    return {"total": int(row[0]), "open": int(row[1]), "overdue": int(row[2])}


async def build(uow: UnitOfWork, round_id: int, *, tz: ZoneInfo) -> Dashboard:
    """Everything the round's dashboard shows, as of the unit of work's clock."""
    consultation = await uow.session.get(Round, round_id)
    if consultation is None:
        raise NotFound("round.not_found")
    now = uow.now()
    end = min(now, consultation.closed_at or now)
    start = consultation.opens_at or consultation.created_at
    per_day = await comments_per_day(uow, round_id, min(start, end), end, tz)
    total = int(await uow.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.round_id == round_id)) or 0)
    whole_round = Period(consultation.created_at, end + timedelta(microseconds=1))
    return Dashboard(
        per_day=per_day,
        articles=await article_summaries(uow, round_id),
        respondents=await respondents(uow, round_id),
        themes=await themes(uow, round_id, whole_round),
        satisfaction=await satisfaction(uow, round_id),
        comments=total,
        questions=await question_counts(uow, round_id, now),
    )
