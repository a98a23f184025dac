"""The console's error boundary: every refusal or failure becomes a page in the reader's locale."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.admin.errors import ConsoleError
from bot.admin.render import page
from bot.admin.work import actor_of, unit
from consultations import audit

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_HTTP_KEYS = {404: "admin.error.not_found", 405: "admin.error.method", 413: "admin.error.too_large"}


def error_page(request: web.Request, status: int, key: str, **params: Any) -> web.Response:
    return page(request, "error.html", status=status, status_code=status, message_key=key,
                params=params)


async def record_refusal(request: web.Request, action: str) -> None:
    """Audit a refused request in its own transaction (the request itself changes nothing)."""
    async with unit(request) as uow:
        audit.record(uow, actor_of(request), action, request.path[:100],
                     details={"method": request.method, "path": request.path_qs[:300]})
        await uow.commit()


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ConsoleError as error:
        if error.audit:
            await record_refusal(request, error.audit)
        return error_page(request, error.status, error.key, **error.params)
    except web.HTTPException as exc:
        if exc.status not in _HTTP_KEYS:
            raise
        return error_page(request, exc.status, _HTTP_KEYS[exc.status], max_mb=5)
    except Exception:
        log.exception("console error on %s %s", request.method, request.path)
        return error_page(request, 500, "admin.error.server")
