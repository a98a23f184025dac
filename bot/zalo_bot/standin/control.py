"""Control endpoints under ``/_standin/`` for tools outside the Python process.

* ``GET  /_standin/calls``   — calls, sent messages and webhook delivery attempts (JSON)
* ``GET  /_standin/stats``   — counters: calls, sent, violations, faults injected, pending
* ``POST /_standin/reset``   — clear the records and the rate-limit state
* ``POST /_standin/updates`` — inject one update (object) or several (array)
* ``GET/POST /_standin/faults`` — read/replace the fault settings (missing keys: defaults)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .faults import StandinFaults

if TYPE_CHECKING:
    from .server import ZaloBotStandin


async def _json(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="request body must be JSON") from None


def add_control_routes(app: web.Application, standin: ZaloBotStandin) -> None:
    async def calls(_request: web.Request) -> web.Response:
        return web.json_response({
            "calls": [call.to_json() for call in standin.calls],
            "sent": [message.to_json() for message in standin.sent],
            "webhook_deliveries": [attempt.to_json() for attempt in standin.webhook_attempts],
        })

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response(standin.stats())

    async def reset(_request: web.Request) -> web.Response:
        standin.reset()
        return web.json_response({"ok": True})

    async def updates(request: web.Request) -> web.Response:
        body = await _json(request)
        items = body if isinstance(body, list) else [body]
        if not all(isinstance(item, dict) and "event_name" in item for item in items):
            raise web.HTTPBadRequest(text="updates need an event_name")
        for item in items:
            standin.inject_update(item)
        return web.json_response({"ok": True, "injected": len(items)})

    async def faults(request: web.Request) -> web.Response:
        if request.method == "POST":
            try:
                standin.faults = StandinFaults.from_json(await _json(request))
            except (ValueError, TypeError, AttributeError) as error:
                raise web.HTTPBadRequest(text=str(error)) from None
        return web.json_response(standin.faults.to_json())

    app.router.add_get("/_standin/calls", calls)
    app.router.add_get("/_standin/stats", stats)
    app.router.add_post("/_standin/reset", reset)
    app.router.add_post("/_standin/updates", updates)
    app.router.add_route("*", "/_standin/faults", faults)
