"""Open data at public URLs, no login: the comments and per-article counts of a closed round.

    /open-data/rounds/<id>/comments.csv    every visible comment, nothing identifying
    /open-data/rounds/<id>/comments.json   the same with the round's totals
    /open-data/rounds/<id>/articles.csv    per-article counts
    /open-data/rounds.json                 the rounds that have open data, with links

Only rounds that are closed or reported have open data; any other id, existing
or not, answers 404 alike. What is published and how it is sanitised is
consultations.reports.open_data (docs/reports.md). The files are served as
downloads with nosniff, so text a citizen typed as HTML is never run as a page.
"""

from __future__ import annotations

import functools
import json
from typing import IO

from aiohttp import web
from sqlalchemy import select

from bot.admin.outputs.files import send_file
from bot.context import APP_CONTEXT
from consultations import reports
from consultations.errors import InvalidState, NotFound
from consultations.vocab import RoundStatus
from storage.models import Agency, Round

PREFIX = "/open-data"
FILES = {  # URL name -> (writer kind, media type)
    "comments.csv": ("comments.csv", "text/csv; charset=utf-8"),
    "comments.json": ("json", "application/json; charset=utf-8"),
    "articles.csv": ("articles.csv", "text/csv; charset=utf-8"),
}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Access-Control-Allow-Origin": "*",  # open data: anyone may read it, no credentials
    "Cache-Control": "public, max-age=300",
}


def published(status: str) -> bool:
    return status in (RoundStatus.CLOSED, RoundStatus.REPORTED)


def _base(request: web.Request) -> str:
    """PUBLIC_URL when set (behind a proxy), else the address this request came to."""
    public_url = request.config_dict[APP_CONTEXT].settings.public_url
    return (public_url or f"{request.scheme}://{request.host}").rstrip("/")


def open_data_links(request: web.Request, round_id: int) -> list[tuple[str, str]]:
    """(file name, absolute URL) of a round's open data files."""
    base = _base(request)
    return [(name, f"{base}{PREFIX}/rounds/{round_id}/{name}") for name in FILES]


async def open_data_file(request: web.Request) -> web.StreamResponse:
    ctx = request.app[APP_CONTEXT]
    round_id = int(request.match_info["id"])
    kind, media_type = FILES[request.match_info["name"]]
    async with ctx.uow() as uow:

        async def write(out: IO[bytes]) -> object:
            return await reports.write_open_data(uow, round_id, kind, out,
                                                 tz_name=ctx.settings.tz_name)

        try:
            return await send_file(
                request, write, content_type=media_type, headers=HEADERS,
                filename=f"du-lieu-mo-round-{round_id}-{request.match_info['name']}",
                disposition="inline")
        except (NotFound, InvalidState) as error:
            raise web.HTTPNotFound(text="Not found", headers=HEADERS) from error


async def rounds_index(request: web.Request) -> web.Response:
    """The rounds with open data, newest first, with the URLs of their files."""
    ctx = request.app[APP_CONTEXT]
    async with ctx.uow() as uow:
        rows = await uow.session.execute(
            select(Round.id, Round.title, Round.status, Agency.name)
            .join(Agency, Agency.id == Round.agency_id)
            .where(Round.status.in_([RoundStatus.CLOSED, RoundStatus.REPORTED]))
            .order_by(Round.id.desc())
        )
        found = [
            {"id": rid, "title": title, "agency": agency, "status": status,
             "files": dict(open_data_links(request, rid))}
            for rid, title, status, agency in rows
        ]
    return web.json_response({"schema": "consultbot-open-data-index/1", "rounds": found},
                             headers=HEADERS,
                             dumps=functools.partial(json.dumps, ensure_ascii=False))


def setup_open_data(app: web.Application) -> None:
    """Add the public open-data routes to the service's root web app (outside /admin)."""
    names = "|".join(name.replace(".", r"\.") for name in FILES)
    app.router.add_get(PREFIX + "/rounds.json", rounds_index)
    app.router.add_get(PREFIX + "/rounds/{id:[0-9]{1,9}}/{name:(" + names + ")}", open_data_file)
