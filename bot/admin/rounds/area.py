"""The rounds area of the console: its routes and its navigation link."""

from __future__ import annotations

from aiohttp import web

from bot.admin.rounds import actions, draft, form, pages
from bot.admin.state import Area, NavItem
from consultations.console.access import Permission

ROUND = "/rounds/{id:[0-9]{1,9}}"


def setup_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/rounds", pages.list_page)
    router.add_get("/rounds/new", form.new_form)
    router.add_post("/rounds/new", form.new_submit)
    router.add_get(ROUND, pages.detail_page)
    router.add_get(ROUND + "/edit", form.edit_form)
    router.add_post(ROUND + "/edit", form.edit_submit)
    router.add_get(ROUND + "/draft", draft.draft_form)
    router.add_post(ROUND + "/draft", draft.draft_submit)
    router.add_post(ROUND + "/open", actions.open_now)
    router.add_post(ROUND + "/schedule", actions.schedule)
    router.add_post(ROUND + "/close", actions.close)
    router.add_post(ROUND + "/announce", actions.announce)


AREA = Area(
    name="rounds",
    setup_routes=setup_routes,
    nav=(NavItem("admin.nav.rounds", "/admin/rounds", Permission.ROUNDS_VIEW),),
)
