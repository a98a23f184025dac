"""The insight area of the console: its routes and its navigation link."""

from __future__ import annotations

from aiohttp import web

from bot.admin.insight import pages
from bot.admin.state import Area, NavItem
from consultations.console.access import Permission


def setup_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/insight", pages.list_page)
    router.add_get("/insight/rounds/{id:[0-9]{1,9}}", pages.dashboard_page)


AREA = Area(
    name="insight",
    setup_routes=setup_routes,
    nav=(NavItem("admin.nav.insight", "/admin/insight", Permission.INSIGHT_VIEW),),
)
