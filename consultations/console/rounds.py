"""Rounds as the console lists and edits them (the lifecycle itself is consultations.rounds)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from consultations import audit
from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.rounds import minimum_days
from consultations.text import normalize_line, normalize_text
from consultations.vocab import RoundStatus
from storage.models import Agency, DocumentType, Round, Section
from storage.uow import UnitOfWork

TITLE_MAX, AUDIENCE_MAX, SUMMARY_MAX = 500, 300, 5000
EDITABLE = (RoundStatus.DRAFT, RoundStatus.SCHEDULED)


@dataclass(frozen=True)
class RoundDetail:
    """Everything a console page shows about a round."""

    id: int
    agency_id: int
    agency_code: str
    agency_name: str
    title: str
    summary: str
    audience: str
    status: str
    document_type: str
    document_type_name: str
    document_type_name_en: str
    opens_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    article_count: int


@dataclass(frozen=True)
class RoundFields:
    """What a person edits; agency and document type are fixed once a round opens."""

    title: str
    summary: str
    audience: str
    document_type: str
    agency_id: int
    opens_at: datetime | None
    closes_at: datetime | None


@dataclass(frozen=True)
class Choice:
    """An option of a select box: a value and its labels in both languages."""

    value: str
    label: str
    label_en: str


def _query() -> Select[Round, str, str, str, str, int]:
    articles = (
        select(func.count())
        .where(Section.round_id == Round.id, Section.kind == "article")
        .correlate(Round)
        .scalar_subquery()
    )
    return (
        select(Round, Agency.code, Agency.name, DocumentType.name, DocumentType.name_en, articles)
        .join(Agency, Agency.id == Round.agency_id)
        .join(DocumentType, DocumentType.code == Round.document_type)
    )


def _detail(
    row: Round, code: str, name: str, type_name: str, type_name_en: str, articles: int
) -> RoundDetail:
    return RoundDetail(
        id=row.id, agency_id=row.agency_id, agency_code=code, agency_name=name,
        title=row.title, summary=row.summary, audience=row.audience, status=row.status,
        document_type=row.document_type, document_type_name=type_name,
        document_type_name_en=type_name_en, opens_at=row.opens_at, closes_at=row.closes_at,
        closed_at=row.closed_at, created_at=row.created_at, article_count=articles,
    )


async def round_detail(uow: UnitOfWork, round_id: int) -> RoundDetail:
    found = (await uow.session.execute(_query().where(Round.id == round_id))).first()
    if found is None:
        raise NotFound("round.not_found")
    return _detail(*found)


async def list_rounds(
    uow: UnitOfWork, *, agency_id: int | None, status: str | None = None, limit: int = 500
) -> list[RoundDetail]:
    """Newest first; `agency_id` None means every agency (what an admin sees)."""
    query = _query().order_by(Round.created_at.desc(), Round.id.desc()).limit(limit)
    if agency_id is not None:
        query = query.where(Round.agency_id == agency_id)
    if status is not None:
        query = query.where(Round.status == status)
    return [_detail(*found) for found in await uow.session.execute(query)]


async def draft_text(uow: UnitOfWork, round_id: int) -> str:
    """The draft as it was last imported, for correcting and importing again."""
    row = await uow.session.get(Round, round_id)
    if row is None:
        raise NotFound("round.not_found")
    return row.draft_original


async def document_types(uow: UnitOfWork) -> list[Choice]:
    rows = await uow.session.scalars(select(DocumentType).order_by(DocumentType.code))
    return [Choice(row.code, row.name, row.name_en) for row in rows]


async def agency_choices(uow: UnitOfWork, agency_id: int | None = None) -> list[Choice]:
    """Agencies a round can belong to: all of them, or only `agency_id` for its staff."""
    query = select(Agency).order_by(Agency.name)
    if agency_id is not None:
        query = query.where(Agency.id == agency_id)
    rows = await uow.session.scalars(query)
    return [Choice(str(a.id), a.name, a.name_en or a.name) for a in rows]


def check_lengths(title: str, summary: str, audience: str) -> None:
    """Refuse what the columns cannot hold before the database does it less politely."""
    if not normalize_line(title):
        raise InvalidInput("round.title_required")
    if len(title) > TITLE_MAX:
        raise InvalidInput("round.title_too_long", max=TITLE_MAX)
    if len(summary) > SUMMARY_MAX:
        raise InvalidInput("round.summary_too_long", max=SUMMARY_MAX)
    if len(audience) > AUDIENCE_MAX:
        raise InvalidInput("round.audience_too_long", max=AUDIENCE_MAX)


async def _check_dates(uow: UnitOfWork, row: Round, new: RoundFields) -> None:
    """The minimum period for its document type; an open round cannot end in the past."""
    if new.opens_at is not None and new.closes_at is not None:
        if new.closes_at <= new.opens_at:
            raise InvalidInput("round.closes_before_opens")
        days = await minimum_days(uow, new.document_type)
        if new.closes_at - new.opens_at < timedelta(days=days):
            raise InvalidInput("round.period_too_short", days=days)
    if row.status == RoundStatus.SCHEDULED and (new.opens_at is None or new.closes_at is None):
        raise InvalidInput("round.dates_required")
    if row.status == RoundStatus.OPEN and (new.closes_at is None or new.closes_at <= uow.now()):
        raise InvalidInput("round.closes_in_past")


def _frozen_fields_changed(row: Round, new: RoundFields) -> bool:
    """An open round keeps its agency, document type and opening time."""
    return (new.agency_id, new.document_type, new.opens_at) != (
        row.agency_id, row.document_type, row.opens_at)


async def update_round(
    uow: UnitOfWork, round_id: int, new: RoundFields, *, actor: str
) -> RoundDetail:
    """Edit a round before it closes; the audit entry lists the fields that changed."""
    row = await uow.session.get(Round, round_id)
    if row is None:
        raise NotFound("round.not_found")
    if row.status not in (*EDITABLE, RoundStatus.OPEN):
        raise InvalidState("round.edit_locked")
    check_lengths(new.title, new.summary, new.audience)
    if row.status == RoundStatus.OPEN and _frozen_fields_changed(row, new):
        raise InvalidState("round.open_fields_locked")
    if await uow.session.get(Agency, new.agency_id) is None:
        raise NotFound("agency.not_found")
    await _check_dates(uow, row, new)
    cleaned = {
        **{f.name: getattr(new, f.name) for f in fields(new)},
        "title": normalize_line(new.title),
        "summary": normalize_text(new.summary),
        "audience": normalize_line(new.audience),
    }
    changed = _apply(row, cleaned)
    audit.record(uow, actor, "round.edit", f"round:{row.id}", details={"changed": changed})
    await uow.session.flush()
    return await round_detail(uow, row.id)


def _apply(row: Round, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return sorted(changed)
