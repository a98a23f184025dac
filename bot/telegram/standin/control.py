"""Control endpoints under ``/_standin/`` for tests and tools outside the Python process.

* ``GET  /_standin/calls``   — call log, sent messages, webhook delivery attempts (JSON)
* ``GET  /_standin/sent?offset=N&limit=M`` — the sent messages from N on, in a compact
  form (chat, message id, text, time, paid broadcast) that a benchmark can page through
  while hundreds of thousands go out
* ``GET  /_standin/stats``   — counters: violations, retry_after_ignored, faults injected, ...
* ``POST /_standin/reset``   — clear the records, counters and rate-limit state
* ``POST /_standin/updates`` — inject one update (object) or several (array)
* ``GET/POST /_standin/faults`` — read/replace ``StandinFaults`` (missing keys take defaults)
* ``GET/POST /_standin/limits`` — read/change ``StandinLimits`` (given keys only)
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .faults import StandinFaults
from .protocol import Params
from .state import SentMessage

if TYPE_CHECKING:
    from .server import BotApiStandin

__all__ = ["add_control_routes"]

MAX_PAGE = 20_000


def _compact(message: SentMessage) -> dict[str, Any]:
    """What a benchmark needs of a sent message: who got which text when, paid or not."""
    return {
        "method": message.method,
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "text": message.text,
        "time": message.time,
        "paid": Params(message.params).get_bool("allow_paid_broadcast"),
    }


async def _json_body(request: web.Request) -> Any:
    """Decode a JSON body or answer 400, so typos in test tooling fail loudly."""
    try:
        return await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="request body must be JSON") from None


class _Control:
    """Handlers of the control endpoints of one stand-in."""

    def __init__(self, standin: BotApiStandin) -> None:
        """Keep the stand-in the endpoints inspect and steer."""
        self._standin = standin

    async def calls(self, request: web.Request) -> web.StreamResponse:
        """Everything received, for assertions from outside the process."""
        standin = self._standin
        return web.json_response(
            {
                "calls": [record.to_json() for record in standin.calls],
                "sent": [message.to_json() for message in standin.sent],
                "webhook_deliveries": [a.to_json() for a in standin.webhook_deliveries],
            }
        )

    async def sent(self, request: web.Request) -> web.StreamResponse:
        """A page of the sent messages without their full records, cheap to poll."""
        try:
            offset = max(0, int(request.query.get("offset", "0")))
            limit = max(1, min(MAX_PAGE, int(request.query.get("limit", str(MAX_PAGE)))))
        except ValueError:
            raise web.HTTPBadRequest(text="offset and limit must be integers") from None
        sent = self._standin.sent
        page = sent[offset : offset + limit]
        return web.json_response(
            {
                "sent": [_compact(message) for message in page],
                "next": offset + len(page),
                "total": len(sent),
            }
        )

    async def stats(self, request: web.Request) -> web.StreamResponse:
        """Counters only, cheap enough to poll during a benchmark."""
        return web.json_response(self._standin.stats())

    async def reset(self, request: web.Request) -> web.StreamResponse:
        """Start a new test or benchmark round from clean records."""
        self._standin.reset()
        return web.json_response({"ok": True})

    async def updates(self, request: web.Request) -> web.StreamResponse:
        """Act as users: queue updates for getUpdates or the webhook."""
        body = await _json_body(request)
        items = body if isinstance(body, list) else [body]
        if not all(isinstance(item, dict) for item in items):
            raise web.HTTPBadRequest(text="an update must be a JSON object")
        injected = [self._standin.inject_update(item) for item in items]
        return web.json_response({"ok": True, "result": injected})

    async def faults(self, request: web.Request) -> web.StreamResponse:
        """Inspect or replace the fault settings (POST reseeds the RNG)."""
        if request.method == "POST":
            body = await _json_body(request)
            try:
                new = StandinFaults.from_json(body if isinstance(body, dict) else {})
            except (TypeError, ValueError) as err:
                raise web.HTTPBadRequest(text=str(err)) from None
            self._standin.faults = new
        return web.json_response(self._standin.faults.to_json())

    async def limits(self, request: web.Request) -> web.StreamResponse:
        """Inspect or adjust the flood limits, e.g. to disable them for a load test."""
        if request.method == "POST":
            body = await _json_body(request)
            try:
                self._standin.limits = dataclasses.replace(self._standin.limits, **body)
            except TypeError as err:
                raise web.HTTPBadRequest(text=str(err)) from None
        return web.json_response(dataclasses.asdict(self._standin.limits))


def add_control_routes(app: web.Application, standin: BotApiStandin) -> None:
    """Register the ``/_standin/`` endpoints for one stand-in."""
    control = _Control(standin)
    app.router.add_get("/_standin/calls", control.calls)
    app.router.add_get("/_standin/sent", control.sent)
    app.router.add_get("/_standin/stats", control.stats)
    app.router.add_post("/_standin/reset", control.reset)
    app.router.add_post("/_standin/updates", control.updates)
    app.router.add_route("*", "/_standin/faults", control.faults)
    app.router.add_route("*", "/_standin/limits", control.limits)
