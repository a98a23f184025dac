"""Creating and editing a round: title, summary, audience, agency, document type, dates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.admin.errors import ConsoleError
from bot.admin.forms import read_form
from bot.admin.render import page, redirect
from bot.admin.scope import DENIED, path_id, requires, round_in_scope
from bot.admin.session import flash
from bot.admin.validate import Validator
from bot.admin.work import unit, user_of
from consultations import rounds
from consultations.console import rounds as console_rounds
from consultations.console.access import Permission
from consultations.console.rounds import RoundDetail, RoundFields
from consultations.errors import DomainError
from consultations.vocab import RoundStatus
from storage.uow import UnitOfWork

# Which field a domain refusal is about, so it is shown beside it.
FIELD_OF_ERROR = {
    "round.title_required": "title",
    "round.title_too_long": "title",
    "round.summary_too_long": "summary",
    "round.audience_too_long": "audience",
    "round.period_too_short": "closes_at",
    "round.closes_before_opens": "closes_at",
    "round.closes_in_past": "closes_at",
    "round.dates_required": "opens_at",
    "round.unknown_document_type": "document_type",
    "agency.not_found": "agency_id",
}


@dataclass(frozen=True)
class Options:
    agencies: list[console_rounds.Choice]
    document_types: list[console_rounds.Choice]
    min_days: dict[str, int]


async def _options(request: web.Request, uow: UnitOfWork) -> Options:
    user = user_of(request)
    types = await console_rounds.document_types(uow)
    return Options(
        agencies=await console_rounds.agency_choices(uow, user.agency_scope),
        document_types=types,
        min_days={c.value: await rounds.minimum_days(uow, c.value) for c in types},
    )


def _agency(request: web.Request, v: Validator, options: Options) -> int:
    """Admins choose; staff get theirs, and a forged agency id is refused and audited."""
    user = user_of(request)
    if user.is_admin:
        chosen = v.choice("agency_id", [c.value for c in options.agencies])
        return int(chosen) if chosen.isdigit() else 0
    sent = v.form.get("agency_id")
    if sent and sent != str(user.agency_id):
        raise ConsoleError(403, "admin.error.forbidden", audit=DENIED)
    return user.agency_id or 0


def _read(
    request: web.Request, v: Validator, options: Options, current: RoundDetail | None
) -> RoundFields:
    """The submitted fields; an open round keeps its agency, type and opening time."""
    frozen = current is not None and current.status == RoundStatus.OPEN
    fields = RoundFields(
        title=v.text("title", max_len=console_rounds.TITLE_MAX, required=True),
        summary=v.text("summary", max_len=console_rounds.SUMMARY_MAX, multiline=True),
        audience=v.text("audience", max_len=console_rounds.AUDIENCE_MAX),
        document_type=current.document_type if frozen and current else
        v.choice("document_type", [c.value for c in options.document_types]),
        agency_id=current.agency_id if frozen and current else _agency(request, v, options),
        opens_at=current.opens_at if frozen and current else v.when("opens_at"),
        closes_at=v.when("closes_at", required=frozen),
    )
    if fields.opens_at and fields.closes_at and fields.closes_at <= fields.opens_at:
        v.fail("closes_at", "admin.error.round.closes_before_opens")
    return fields


def _render(request: web.Request, options: Options, *, status: int = 200,
            current: RoundDetail | None = None, values: dict[str, Any] | None = None,
            errors: dict[str, str] | None = None) -> web.StreamResponse:
    return page(request, "rounds/form.html", status=status, round=current, options=options,
                values=values or {}, errors=errors or {}, editing=current is not None,
                frozen=current is not None and current.status == RoundStatus.OPEN)


@requires(Permission.ROUNDS_EDIT)
async def new_form(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        options = await _options(request, uow)
    return _render(request, options, values={"document_type": "business"})


@requires(Permission.ROUNDS_EDIT)
async def new_submit(request: web.Request) -> web.StreamResponse:
    v = Validator(request, await read_form(request))
    async with unit(request) as uow:
        options = await _options(request, uow)
        fields = _read(request, v, options, None)
        made = await _create(request, uow, v, fields) if v.ok else None
    if made is None:
        return _render(request, options, status=400, values=dict(v.form.fields), errors=v.errors)
    flash(request, "admin.round.created")
    return redirect(f"/admin/rounds/{made}/draft")


async def _create(
    request: web.Request, uow: UnitOfWork, v: Validator, fields: RoundFields
) -> int | None:
    """The new round's id, or None with the domain's refusal added to the form's errors."""
    try:
        made = await rounds.create_round(
            uow, agency_id=fields.agency_id, title=fields.title,
            document_type=fields.document_type, summary=fields.summary,
            audience=fields.audience, opens_at=fields.opens_at,
            closes_at=fields.closes_at, actor=user_of(request).actor,
        )
        await uow.commit()
    except DomainError as error:
        v.domain(error, FIELD_OF_ERROR)
        return None
    return made.id


@requires(Permission.ROUNDS_EDIT)
async def edit_form(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        current = await round_in_scope(request, uow, path_id(request))
        options = await _options(request, uow)
    return _render(request, options, current=current)


@requires(Permission.ROUNDS_EDIT)
async def edit_submit(request: web.Request) -> web.StreamResponse:
    v = Validator(request, await read_form(request))
    async with unit(request) as uow:
        current = await round_in_scope(request, uow, path_id(request))
        options = await _options(request, uow)
        fields = _read(request, v, options, current)
        if v.ok:
            try:
                await console_rounds.update_round(uow, current.id, fields,
                                                  actor=user_of(request).actor)
                await uow.commit()
            except DomainError as error:
                v.domain(error, FIELD_OF_ERROR)
    if not v.ok:
        return _render(request, options, status=400, current=current,
                       values=dict(v.form.fields), errors=v.errors)
    flash(request, "admin.round.saved")
    return redirect(f"/admin/rounds/{current.id}")
