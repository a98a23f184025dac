"""/readyz and /metrics: what a load balancer, an orchestrator and Prometheus ask.

/healthz (bot.app) is liveness: the process answers and so does the database;
failing it means "restart me". /readyz is readiness: also the schema is at the
newest migration and the runtime has started its channels and is not stopping;
failing it means "send no traffic here now", e.g. during start-up or a drain.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass

from aiohttp import web

from bot.context import APP_CONTEXT
from consultations import outbox_stats
from storage.revisions import schema_state

log = logging.getLogger(__name__)


@dataclass
class Readiness:
    """Set by the runtime: started once every channel is up, stopping from the first stop step."""

    started: bool = False
    stopping: bool = False


READINESS = web.AppKey("consultbot.readiness", Readiness)


def _not_ready(reason: str, **details: object) -> web.Response:
    return web.json_response({"status": "not ready", "reason": reason, **details}, status=503)


async def readyz(request: web.Request) -> web.Response:
    state = request.app[READINESS]
    if state.stopping:
        return _not_ready("stopping")
    if not state.started:
        return _not_ready("starting")
    try:
        schema = await schema_state(request.app[APP_CONTEXT].engine)
    except Exception as error:  # any database failure means not ready
        log.warning("readiness: database unavailable (%s)", type(error).__name__)
        return _not_ready("database unavailable")
    if not schema.at_head:
        return _not_ready(
            "migrations pending", current=sorted(schema.current), heads=sorted(schema.heads)
        )
    return web.json_response({"status": "ready"})


def _authorised(request: web.Request, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


async def metrics(request: web.Request) -> web.Response:
    """The app's metrics; the outbox gauges are read from the database for this scrape."""
    ctx = request.app[APP_CONTEXT]
    token = ctx.settings.metrics_token
    if token is not None and not _authorised(request, token.get_secret_value()):
        return web.Response(status=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    try:
        async with ctx.uow() as uow:
            ctx.metrics.set_outbox(await outbox_stats.backlog(uow))
    except Exception as error:  # serve the counters anyway; the backlog is unknown
        log.warning("metrics: outbox backlog unavailable (%s)", type(error).__name__)
        ctx.metrics.clear_outbox()
    body, content_type = ctx.metrics.exposition(request.headers.get("Accept", ""))
    return web.Response(body=body, headers={"Content-Type": content_type})


def setup(app: web.Application) -> Readiness:
    """Add the routes; the returned state is the runtime's to update."""
    app[READINESS] = state = Readiness()
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    return state
