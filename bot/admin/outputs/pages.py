"""The outputs of a round: report downloads, publishing outcomes, links to its open data."""

from __future__ import annotations

from typing import IO

from aiohttp import web

from bot.admin.forms import read_form
from bot.admin.outputs.files import send_file
from bot.admin.outputs.open_data import open_data_links, published
from bot.admin.render import SECURITY_HEADERS, error_key, page, redirect
from bot.admin.scope import path_id, requires, round_in_scope
from bot.admin.session import flash
from bot.admin.state import console_of
from bot.admin.work import unit, user_of
from consultations import audit, reports
from consultations.console import rounds as console_rounds
from consultations.console.access import Permission
from consultations.errors import DomainError
from consultations.vocab import RoundStatus
from handlers.outcome_notes import publish_outcomes

LISTED = [s.value for s in RoundStatus if s != RoundStatus.DRAFT]
DOWNLOADS = ("docx", "xlsx", "csv", "json")


@requires(Permission.REPORTS_DOWNLOAD)
async def list_page(request: web.Request) -> web.StreamResponse:
    user = user_of(request)
    async with unit(request) as uow:
        rows = [r for r in await console_rounds.list_rounds(uow, agency_id=user.agency_scope)
                if r.status in LISTED]
    return page(request, "outputs/list.html", rounds=rows)


@requires(Permission.REPORTS_DOWNLOAD)
async def round_page(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        missing = await reports.missing_outcomes(uow, detail.id)
    links = open_data_links(request, detail.id) if published(detail.status) else []
    return page(request, "outputs/round.html", round=detail, missing=missing,
                downloads=DOWNLOADS, links=links)


def _place(province: str) -> str:
    """'Minh Sơn' from 'tỉnh Minh Sơn': the place on the document's date line."""
    for prefix in ("thành phố ", "tỉnh "):
        if province.lower().startswith(prefix):
            return province[len(prefix):].strip()
    return province.strip()


@requires(Permission.REPORTS_DOWNLOAD)
async def download(request: web.Request) -> web.StreamResponse:
    """The synthesis report in one format; any round in scope (an open one is provisional)."""
    fmt = request.match_info["fmt"]
    settings = console_of(request).ctx.settings
    user = user_of(request)
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))

        async def write(out: IO[bytes]) -> object:
            with console_of(request).ctx.metrics.timed_job("report"):
                return await reports.write_report(uow, detail.id, fmt, out,
                                                  tz_name=settings.tz_name,
                                                  place=_place(settings.province_name))

        async def written() -> None:
            audit.record(uow, user.actor, "report.download", f"round:{detail.id}",
                         details={"format": fmt})
            await uow.commit()

        return await send_file(request, write, content_type=reports.MEDIA_TYPES[fmt],
                               filename=reports.report_filename(detail.id, fmt),
                               headers=SECURITY_HEADERS, written=written)


@requires(Permission.OUTCOMES_PUBLISH)
async def publish(request: web.Request) -> web.StreamResponse:
    """Mark a closed round reported and queue a note to everyone who commented."""
    raw = (await read_form(request)).get("missing", "0").strip() or "0"
    missing_ok = int(raw) if raw.isdigit() and len(raw) <= 9 else -1
    user = user_of(request)
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        try:
            if missing_ok < 0:
                raise DomainError("outputs.bad_missing")
            result = await publish_outcomes(uow, detail.id, user.actor, missing_ok=missing_ok)
        except DomainError as refused:
            flash(request, error_key(refused), error=True, **refused.params)
            return redirect(f"/admin/outputs/rounds/{detail.id}#publish")
        await uow.commit()
    console_of(request).ctx.wake_dispatcher()
    flash(request, "admin.outputs.published", queued=result.queued,
          recipients=result.recipients)
    return redirect(f"/admin/outputs/rounds/{detail.id}")
