"""Open data of a closed round: every published comment, with nothing that identifies anyone.

What is published: a stable comment number (the comment's id), the article,
the stance, whether a citizen or a business commented (the organisation's name
only for a business: businesses comment publicly as themselves), the day (in
the display time zone, no time of day), the text with phone numbers, ID numbers
and e-mails redacted, the outcome and its reason, and the co-signature count.
Never: participant ids, channels, channel user ids, attachments, or comments
held back by moderation (only their number). Column meanings are in docs/reports.md.
"""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from consultations.errors import InvalidInput, InvalidState
from consultations.reports.cells import printable, public, spreadsheet_safe
from consultations.reports.data import PENDING, ArticleSummary, OpenDataRow
from consultations.reports.streaming import stream_rows
from consultations.reports.synthesis import (
    article_summaries,
    excluded_counts,
    respondents,
    round_with_agency,
)
from consultations.reports.tabular import text_stream
from consultations.vocab import Moderation, Outcome, RespondentKind, RoundStatus, Stance
from storage.models import Comment, Round, Section
from storage.uow import UnitOfWork

SCHEMA = "consultbot-open-data/1"
KINDS = ("comments.csv", "articles.csv", "json")
COMMENT_COLUMNS = tuple(OpenDataRow.__dataclass_fields__)
ARTICLE_COLUMNS = ("article", "article_heading", "comments", "cosignatures")


async def _published_round(uow: UnitOfWork, round_id: int) -> tuple[Round, str]:
    """Open data exists only once a round is closed: before that it is still changing."""
    consultation, agency_name = await round_with_agency(uow, round_id)
    if consultation.status not in (RoundStatus.CLOSED, RoundStatus.REPORTED):
        raise InvalidState("report.round_not_closed")
    return consultation, agency_name


def _day(when: datetime | None, tz: ZoneInfo) -> str | None:
    return when.astimezone(tz).date().isoformat() if when else None


async def open_data_rows(
    uow: UnitOfWork, round_id: int, *, tz_name: str = "Asia/Ho_Chi_Minh"
) -> AsyncIterator[OpenDataRow]:
    """Visible comments of a closed round by number, streamed."""
    await _published_round(uow, round_id)
    tz = ZoneInfo(tz_name)
    query = (
        select(
            Comment.id,
            Comment.stance,
            Comment.respondent_kind,
            Comment.organisation,
            Comment.created_at,
            Comment.body,
            Comment.outcome,
            Comment.outcome_note,
            Comment.cosign_count,
            Section.label,
            Section.heading,
        )
        .outerjoin(Section, Section.id == Comment.section_id)
        .where(Comment.round_id == round_id, Comment.moderation == Moderation.VISIBLE)
        .order_by(Comment.id)
    )
    async for row in stream_rows(uow, query):
        yield _open_row(row, tz)


def _open_row(row: Any, tz: ZoneInfo) -> OpenDataRow:
    business = row.respondent_kind == RespondentKind.BUSINESS
    return OpenDataRow(
        comment_number=row.id,
        article=printable(row.label) or None,
        article_heading=printable(row.heading) or None,
        stance=row.stance,
        respondent_kind=row.respondent_kind,
        organisation=(public(row.organisation) or None) if business else None,
        date=_day(row.created_at, tz) or "",
        comment=public(row.body),
        outcome=row.outcome,
        reason=public(row.outcome_note) or None,
        cosignatures=row.cosign_count,
    )


def _article_json(article: ArticleSummary) -> dict[str, Any]:
    return {
        "article": article.label,
        "article_heading": article.heading or None,
        "comments": article.comments,
        "cosignatures": article.cosignatures,
        "by_stance": article.by_stance,
        "by_outcome": article.by_outcome,
    }


async def open_data_summary(
    uow: UnitOfWork, round_id: int, *, tz_name: str = "Asia/Ho_Chi_Minh"
) -> dict[str, Any]:
    """The round, its totals and per-article counts: the head of the JSON file."""
    consultation, agency_name = await _published_round(uow, round_id)
    tz = ZoneInfo(tz_name)
    articles = await article_summaries(uow, round_id)
    return {
        "schema": SCHEMA,
        "round": {
            "id": consultation.id,
            "title": printable(consultation.title),
            "agency": printable(agency_name),
            "status": consultation.status,
            "opens_on": _day(consultation.opens_at, tz),
            "closes_on": _day(consultation.closed_at or consultation.closes_at, tz),
        },
        "totals": {
            "comments": sum(a.comments for a in articles),
            "cosignatures": sum(a.cosignatures for a in articles),
            "not_published": sum((await excluded_counts(uow, round_id)).values()),
            "respondents": await respondents(uow, round_id),
        },
        "articles": [_article_json(a) for a in articles],
    }


async def write_open_data(
    uow: UnitOfWork, round_id: int, kind: str, out: IO[bytes], *, tz_name: str = "Asia/Ho_Chi_Minh"
) -> int:
    """Write one open data file (comments.csv, articles.csv or json); returns its row count."""
    if kind not in KINDS:
        raise InvalidInput("report.bad_format", formats=", ".join(KINDS))
    if kind == "articles.csv":
        return await _articles_csv(uow, round_id, out, tz_name)
    rows = open_data_rows(uow, round_id, tz_name=tz_name)
    if kind == "comments.csv":
        return await _comments_csv(rows, out)
    summary = await open_data_summary(uow, round_id, tz_name=tz_name)
    return await _json(summary, rows, out)


async def _comments_csv(rows: AsyncIterator[OpenDataRow], out: IO[bytes]) -> int:
    count = 0
    with text_stream(out) as text:
        writer = csv.writer(text)
        writer.writerow(COMMENT_COLUMNS)
        async for row in rows:
            writer.writerow(
                [spreadsheet_safe(v) if isinstance(v, str) else v for v in asdict(row).values()]
            )
            count += 1
    return count


async def _articles_csv(uow: UnitOfWork, round_id: int, out: IO[bytes], tz_name: str) -> int:
    summary = await open_data_summary(uow, round_id, tz_name=tz_name)
    stances, outcomes = [str(s) for s in Stance], [*(str(o) for o in Outcome), PENDING]
    with text_stream(out) as text:
        writer = csv.writer(text)
        writer.writerow(
            [
                *ARTICLE_COLUMNS,
                *(f"stance_{s}" for s in stances),
                *(f"outcome_{o}" for o in outcomes),
            ]
        )
        for a in summary["articles"]:
            writer.writerow(
                [
                    *(
                        spreadsheet_safe(a[c]) if isinstance(a[c], str) else a[c]
                        for c in ARTICLE_COLUMNS
                    ),
                    *(a["by_stance"].get(s, 0) for s in stances),
                    *(a["by_outcome"].get(o, 0) for o in outcomes),
                ]
            )
    return len(summary["articles"])


async def _json(summary: dict[str, Any], rows: AsyncIterator[OpenDataRow], out: IO[bytes]) -> int:
    count = 0
    with text_stream(out) as text:
        text.write(json.dumps(summary, ensure_ascii=False)[:-1] + ', "comments": [')
        async for row in rows:
            text.write(("," if count else "") + "\n" + json.dumps(asdict(row), ensure_ascii=False))
            count += 1
        text.write("\n]}\n")
    return count
