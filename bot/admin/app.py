"""The admin console: a sub-application under /admin with its own session, CSRF and pages.

Middlewares, outermost first: the console's session cookie, the error boundary
(refusals become pages), the sign-in gate, the CSRF check. Each part of the
console is an Area (routes + navigation); adding one is one line in AREAS.
"""

from __future__ import annotations

from importlib import resources

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.admin import auth
from bot.admin.botname import BotUsername
from bot.admin.csrf import csrf_middleware
from bot.admin.insight.area import AREA as INSIGHT
from bot.admin.middleware import errors_middleware
from bot.admin.outputs.area import AREA as OUTPUTS
from bot.admin.outputs.open_data import setup_open_data
from bot.admin.queues.area import AREA as WORK
from bot.admin.render import make_filters, redirect
from bot.admin.rounds.area import AREA as ROUNDS
from bot.admin.session import cookie_storage, session_middleware
from bot.admin.state import CONSOLE, Area, Console
from bot.context import AppContext

PREFIX = "/admin"
AREAS: tuple[Area, ...] = (ROUNDS, WORK, INSIGHT, OUTPUTS)
STATIC_FILES = {
    "admin.css": "text/css",
    "console2.css": "text/css",
    "admin.js": "application/javascript",
    "favicon.svg": "image/svg+xml",
}


async def static_file(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    body = resources.files("bot.admin").joinpath("static", name).read_bytes()
    return web.Response(
        body=body,
        content_type=STATIC_FILES[name],
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300"},
    )


async def home(_: web.Request) -> web.Response:
    return redirect(auth.HOME)


async def not_found(_: web.Request) -> web.Response:
    raise web.HTTPNotFound()


def _templates(console: web.Application, ctx: AppContext) -> None:
    env = aiohttp_jinja2.setup(
        console,
        loader=jinja2.PackageLoader("bot.admin", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(make_filters(ctx.settings.tz))


async def setup_admin(app: web.Application, ctx: AppContext) -> None:
    """Mount the console at /admin on the service's web app, and the public open data."""
    from bot.app import derived_key  # bot.app calls us: import at call time, not at load

    storage = cookie_storage(await derived_key(ctx, "admin-session"), ctx.settings)
    console = web.Application(
        middlewares=[session_middleware, errors_middleware, auth.auth_middleware, csrf_middleware]
    )
    console[CONSOLE] = Console(
        ctx=ctx, storage=storage, bot_username=BotUsername(ctx.settings),
        nav=[item for area in AREAS for item in area.nav],
    )
    _templates(console, ctx)
    console.router.add_get("", home)
    console.router.add_get("/", home)
    console.router.add_get("/static/{name}", static_file)
    auth.setup_routes(console.router)
    for area in AREAS:
        area.setup_routes(console.router)
    console.router.add_route("*", "/{tail:.*}", not_found)
    app.add_subapp(PREFIX, console)
    setup_open_data(app)  # public, outside /admin: no session, no login
