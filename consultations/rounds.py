"""Consultation rounds and their lifecycle: draft -> scheduled -> open -> closed -> reported."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, select

from consultations import audit
from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.text import normalize_line, normalize_text
from consultations.views import RoundView
from consultations.vocab import RoundStatus
from storage.models import Agency, DocumentType, Round, Section
from storage.uow import UnitOfWork


async def create_round(
    uow: UnitOfWork,
    *,
    agency_id: int,
    title: str,
    document_type: str,
    summary: str = "",
    audience: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    actor: str = "system",
) -> RoundView:
    """Create a round in draft; the comment period is checked now and again when it opens."""
    title = normalize_line(title)
    if not title:
        raise InvalidInput("round.title_required")
    if await uow.session.get(Agency, agency_id) is None:
        raise NotFound("agency.not_found")
    await _check_period(uow, document_type, opens_at, closes_at)
    row = Round(
        agency_id=agency_id,
        document_type=document_type,
        title=title,
        summary=normalize_text(summary),
        audience=normalize_line(audience),
        status=RoundStatus.DRAFT,
        opens_at=opens_at,
        closes_at=closes_at,
        created_at=uow.now(),
    )
    uow.session.add(row)
    await uow.session.flush()
    audit.record(uow, actor, "round.create", f"round:{row.id}", details={"title": title})
    return await get_round(uow, row.id)


async def minimum_days(uow: UnitOfWork, document_type: str) -> int:
    """The minimum comment period the law sets for this kind of document."""
    doc_type = await uow.session.get(DocumentType, document_type)
    if doc_type is None:
        raise InvalidInput("round.unknown_document_type", document_type=document_type)
    return doc_type.min_comment_days


async def set_minimum_days(uow: UnitOfWork, document_type: str, days: int, actor: str) -> None:
    """Change a period (the 2025 law shortened some); recorded in the audit log."""
    doc_type = await uow.session.get(DocumentType, document_type)
    if doc_type is None:
        raise InvalidInput("round.unknown_document_type", document_type=document_type)
    if days < 0:
        raise InvalidInput("round.bad_period")
    audit.record(
        uow,
        actor,
        "document_type.period",
        document_type,
        details={"from": doc_type.min_comment_days, "to": days},
    )
    doc_type.min_comment_days = days


async def _check_period(
    uow: UnitOfWork, document_type: str, opens_at: datetime | None, closes_at: datetime | None
) -> None:
    days = await minimum_days(uow, document_type)
    if opens_at is None or closes_at is None:
        return
    if closes_at - opens_at < timedelta(days=days):
        raise InvalidInput("round.period_too_short", days=days)


async def _load(uow: UnitOfWork, round_id: int) -> Round:
    row = await uow.session.get(Round, round_id)
    if row is None:
        raise NotFound("round.not_found")
    return row


async def schedule(uow: UnitOfWork, round_id: int, *, actor: str) -> RoundView:
    """Fix the dates of a round with a draft; the sweep opens it when its time comes."""
    row = await _load(uow, round_id)
    if row.status != RoundStatus.DRAFT:
        raise InvalidState("round.not_draft")
    if row.opens_at is None or row.closes_at is None:
        raise InvalidInput("round.dates_required")
    await _require_articles(uow, row.id)
    await _check_period(uow, row.document_type, row.opens_at, row.closes_at)
    row.status = RoundStatus.SCHEDULED
    audit.record(uow, actor, "round.schedule", f"round:{row.id}")
    await sweep(uow)
    return await get_round(uow, row.id)


async def open_now(
    uow: UnitOfWork, round_id: int, *, closes_at: datetime | None = None, actor: str
) -> RoundView:
    """Open a round at once; the closing time must still leave the minimum period."""
    row = await _load(uow, round_id)
    if row.status not in (RoundStatus.DRAFT, RoundStatus.SCHEDULED):
        raise InvalidState("round.cannot_open", status=row.status)
    await _require_articles(uow, row.id)
    now = uow.now()
    closes = closes_at or row.closes_at
    if closes is None:
        closes = now + timedelta(days=await minimum_days(uow, row.document_type))
    await _check_period(uow, row.document_type, now, closes)
    row.opens_at, row.closes_at, row.status = now, closes, RoundStatus.OPEN
    audit.record(uow, actor, "round.open", f"round:{row.id}")
    return await get_round(uow, row.id)


async def close(
    uow: UnitOfWork, round_id: int, *, actor: str, override_reason: str | None = None
) -> RoundView:
    """Close a round; before its closing time only with a recorded reason."""
    row = await _load(uow, round_id)
    if row.status != RoundStatus.OPEN:
        raise InvalidState("round.not_open")
    now = uow.now()
    early = row.closes_at is not None and now < row.closes_at
    reason = normalize_line(override_reason or "")
    if early and not reason:
        raise InvalidInput("round.close_early_needs_reason")
    row.status, row.closed_at = RoundStatus.CLOSED, now
    details = {"early": early, "reason": reason} if early else {}
    audit.record(uow, actor, "round.close", f"round:{row.id}", details=details)
    return await get_round(uow, row.id)


async def mark_reported(uow: UnitOfWork, round_id: int, *, actor: str) -> RoundView:
    """The synthesis report is out: the last state of a round."""
    row = await _load(uow, round_id)
    if row.status != RoundStatus.CLOSED:
        raise InvalidState("round.not_closed")
    row.status = RoundStatus.REPORTED
    audit.record(uow, actor, "round.reported", f"round:{row.id}")
    return await get_round(uow, row.id)


async def sweep(uow: UnitOfWork) -> tuple[list[int], list[int]]:
    """Open scheduled rounds that are due and close open ones past their end.

    A sweep, not a timer: a restart or a missed run loses nothing.
    Returns the ids opened and closed.
    """
    now = uow.now()
    due = await uow.session.scalars(
        select(Round).where(Round.status == RoundStatus.SCHEDULED, Round.opens_at <= now)
    )
    opened = []
    for row in due:
        row.status = RoundStatus.OPEN
        opened.append(row.id)
        audit.record(uow, "scheduler", "round.open", f"round:{row.id}")
    ended = await uow.session.scalars(
        select(Round).where(Round.status == RoundStatus.OPEN, Round.closes_at <= now)
    )
    closed = []
    for row in ended:
        row.status, row.closed_at = RoundStatus.CLOSED, now
        closed.append(row.id)
        audit.record(uow, "scheduler", "round.close", f"round:{row.id}")
    await uow.session.flush()
    return opened, closed


async def _require_articles(uow: UnitOfWork, round_id: int) -> None:
    count = await uow.session.scalar(
        select(func.count())
        .select_from(Section)
        .where(Section.round_id == round_id, Section.kind == "article")
    )
    if not count:
        raise InvalidState("round.no_draft")


def _round_query() -> Select[Any]:
    """A RoundView's fields, as columns named like them (the Round entity would bring the
    whole draft along)."""
    articles = (
        select(func.count())
        .where(Section.round_id == Round.id, Section.kind == "article")
        .correlate(Round)
        .scalar_subquery()
    )
    return select(
        Round.id,
        Round.agency_id,
        Agency.name.label("agency_name"),
        Round.title,
        Round.summary,
        Round.status,
        Round.document_type,
        Round.opens_at,
        Round.closes_at,
        articles.label("article_count"),
    ).join(Agency, Agency.id == Round.agency_id)


def _to_view(row: Row[Any]) -> RoundView:
    return RoundView(**row._asdict())


_GET_ROUND = _round_query().where(Round.id == bindparam("round_id"))
_OPEN_ROUNDS = (
    _round_query()
    .where(Round.status == RoundStatus.OPEN)
    .order_by(Round.closes_at.asc(), Round.id.desc())
)


async def get_round(uow: UnitOfWork, round_id: int) -> RoundView:
    connection = await uow.session.connection()  # plain columns: no ORM step on every event
    result = (await connection.execute(_GET_ROUND, {"round_id": round_id})).first()
    if result is None:
        raise NotFound("round.not_found")
    return _to_view(result)


async def list_rounds(uow: UnitOfWork, status: str | None = None) -> list[RoundView]:
    """Rounds newest first, optionally of one status (citizens see the open ones)."""
    if status == RoundStatus.OPEN:  # what citizens list on almost every visit: built once
        connection = await uow.session.connection()
        return [_to_view(row) for row in await connection.execute(_OPEN_ROUNDS)]
    query = _round_query().order_by(Round.closes_at.asc(), Round.id.desc())
    if status is not None:
        query = query.where(Round.status == status)
    return [_to_view(row) for row in await uow.session.execute(query)]
