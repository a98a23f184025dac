"""The outputs area of the console: its routes and its navigation link.

The public open-data routes are not here: they live outside /admin and are added
to the root app by bot.admin.outputs.open_data.setup_open_data.
"""

from __future__ import annotations

from aiohttp import web

from bot.admin.outputs import pages
from bot.admin.state import Area, NavItem
from consultations.console.access import Permission

ROUND = "/outputs/rounds/{id:[0-9]{1,9}}"


def setup_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/outputs", pages.list_page)
    router.add_get(ROUND, pages.round_page)
    router.add_get(ROUND + "/report.{fmt:(docx|xlsx|csv|json)}", pages.download)
    router.add_post(ROUND + "/publish", pages.publish)


AREA = Area(
    name="outputs",
    setup_routes=setup_routes,
    nav=(NavItem("admin.nav.outputs", "/admin/outputs", Permission.REPORTS_DOWNLOAD),),
)
