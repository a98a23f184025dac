"""Insight pages: the rounds to look at, and one round's dashboard."""

from __future__ import annotations

from aiohttp import web

from bot.admin.insight import charts
from bot.admin.render import locale_of, page
from bot.admin.scope import path_id, requires, round_in_scope
from bot.admin.state import console_of
from bot.admin.work import unit, user_of
from consultations.console import dashboard
from consultations.console import rounds as console_rounds
from consultations.console.access import Permission
from consultations.console.dashboard import Dashboard
from consultations.vocab import RespondentKind, RoundStatus, Stance
from handlers.texts import t

STANCES = [str(s) for s in Stance]
KINDS = [str(k) for k in RespondentKind]
LISTED = [s.value for s in RoundStatus if s != RoundStatus.DRAFT]


@requires(Permission.INSIGHT_VIEW)
async def list_page(request: web.Request) -> web.StreamResponse:
    user = user_of(request)
    async with unit(request) as uow:
        rows = [r for r in await console_rounds.list_rounds(uow, agency_id=user.agency_scope)
                if r.status in LISTED]
    return page(request, "insight/list.html", rounds=rows)


def _charts(request: web.Request, board: Dashboard) -> dict[str, object]:
    locale = locale_of(request)
    whole = t(locale, "admin.work.whole_draft")
    articles = [(a.label or whole, a.by_stance) for a in board.articles]
    kinds = [(t(locale, f"admin.work.kind.{k}"), {k: board.respondents.get(k, 0)})
             for k in KINDS]
    sat = board.satisfaction
    return {
        "per_day": charts.columns([d.comments for d in board.per_day],
                                  [d.day.strftime("%d/%m") for d in board.per_day]),
        "stances": charts.stacked(articles, STANCES, charts.STANCE_COLOURS),
        "kinds": charts.stacked(kinds, KINDS, {"citizen": "#0b5cad", "business": "#8a5a00"}),
        "satisfaction": charts.stacked(
            [(t(locale, "admin.insight.ratings"),
              {"satisfied": sat.satisfied, "other": sat.ratings - sat.satisfied})],
            ["satisfied", "other"], {"satisfied": "#1e6b3a", "other": "#c9ced6"}),
    }


@requires(Permission.INSIGHT_VIEW)
async def dashboard_page(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        board = await dashboard.build(uow, detail.id, tz=console_of(request).ctx.settings.tz)
    return page(request, "insight/dashboard.html", round=detail, board=board,
                charts=_charts(request, board), stances=STANCES, kinds=KINDS,
                colours=charts.STANCE_COLOURS)
