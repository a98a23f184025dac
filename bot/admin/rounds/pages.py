"""The list of rounds and one round's page."""

from __future__ import annotations

from aiohttp import web

from bot.admin.render import page
from bot.admin.rounds.links import share_links, telegram_unreachable
from bot.admin.scope import path_id, requires, round_in_scope
from bot.admin.state import console_of
from bot.admin.work import unit, user_of
from consultations import sections
from consultations.console import announce
from consultations.console import rounds as console_rounds
from consultations.console.access import Permission
from consultations.rounds import minimum_days
from consultations.vocab import RoundStatus

STATUSES = [status.value for status in RoundStatus]


@requires(Permission.ROUNDS_VIEW)
async def list_page(request: web.Request) -> web.StreamResponse:
    """Rounds newest first, of the person's agency (an admin sees all), filterable by status."""
    user = user_of(request)
    status = request.query.get("status") or None
    if status not in (None, *STATUSES):
        status = None
    async with unit(request) as uow:
        rows = await console_rounds.list_rounds(uow, agency_id=user.agency_scope, status=status)
    return page(request, "rounds/list.html", rounds=rows, status_filter=status,
                statuses=STATUSES)


@requires(Permission.ROUNDS_VIEW)
async def detail_page(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        articles = await sections.list_articles(uow, detail.id)
        progress = await announce.progress(uow, detail.id)
        min_days = await minimum_days(uow, detail.document_type)
    now = console_of(request).ctx.uow.clock.now()
    links = await share_links(request, detail.id)
    return page(
        request, "rounds/detail.html", round=detail, articles=articles, progress=progress,
        links=links, telegram_unreachable=telegram_unreachable(request, links),
        early_close=detail.closes_at is not None and now < detail.closes_at,
        announcing=detail.id in console_of(request).announcing,
        min_days=min_days,
    )
