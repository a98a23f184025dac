"""Who may open a page: the permission it needs, and the agency the data belongs to.

Staff of one agency who edit a URL or a hidden id to reach another agency's
round get "not found" (its existence is not confirmed), and the attempt goes
to the audit log.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.admin.errors import ConsoleError
from bot.admin.work import user_of
from consultations.console import rounds as console_rounds
from consultations.console.access import Permission
from consultations.console.rounds import RoundDetail
from consultations.errors import NotFound
from storage.uow import UnitOfWork

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
DENIED = "console.denied"


def requires(permission: Permission) -> Callable[[Handler], Handler]:
    """A handler only for people whose role has `permission` (403 page otherwise, audited)."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            if not user_of(request).can(permission):
                raise ConsoleError(403, "admin.error.forbidden", audit=DENIED)
            return await handler(request)

        return guarded

    return wrap


def path_id(request: web.Request, name: str = "id") -> int:
    """An id from the URL; routes only accept 1-9 digits, so this always fits."""
    return int(request.match_info[name])


def check_agency(request: web.Request, agency_id: int) -> None:
    """Refuse (404, audited) data of an agency outside the person's scope."""
    if not user_of(request).sees_agency(agency_id):
        raise ConsoleError(404, "admin.error.not_found", audit=DENIED)


async def round_in_scope(request: web.Request, uow: UnitOfWork, round_id: int) -> RoundDetail:
    """The round if it exists and the person may see it; the same 404 page otherwise."""
    try:
        found = await console_rounds.round_detail(uow, round_id)
    except NotFound as error:
        raise ConsoleError(404, "admin.error.not_found") from error
    check_agency(request, found.agency_id)
    return found
