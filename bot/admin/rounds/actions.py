"""Publishing a round: schedule it, open it now, close it, announce it to followers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.admin.forms import read_form
from bot.admin.remote import remote_addr
from bot.admin.render import error_key, redirect
from bot.admin.rounds import announcing
from bot.admin.scope import path_id, requires, round_in_scope
from bot.admin.session import flash
from bot.admin.state import console_of
from bot.admin.work import unit, user_of
from consultations import rounds
from consultations.console.access import Permission
from consultations.console.rounds import RoundDetail
from consultations.errors import DomainError
from consultations.vocab import RoundStatus
from storage.uow import UnitOfWork

MAX_REASON = 500
Step = Callable[[UnitOfWork, RoundDetail], Awaitable[str]]


async def _act(request: web.Request, step: Step) -> web.StreamResponse:
    """Run one lifecycle step on a round in scope; a refusal comes back as a notice."""
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        try:
            done_key = await step(uow, detail)
        except DomainError as refused:
            flash(request, error_key(refused), error=True, **refused.params)
        else:
            await uow.commit()
            flash(request, done_key)
    return redirect(f"/admin/rounds/{detail.id}")


@requires(Permission.ROUNDS_PUBLISH)
async def open_now(request: web.Request) -> web.StreamResponse:
    async def step(uow: UnitOfWork, detail: RoundDetail) -> str:
        await rounds.open_now(uow, detail.id, actor=user_of(request).actor)
        return "admin.round.opened"

    return await _act(request, step)


@requires(Permission.ROUNDS_PUBLISH)
async def schedule(request: web.Request) -> web.StreamResponse:
    async def step(uow: UnitOfWork, detail: RoundDetail) -> str:
        await rounds.schedule(uow, detail.id, actor=user_of(request).actor)
        return "admin.round.scheduled"

    return await _act(request, step)


@requires(Permission.ROUNDS_PUBLISH)
async def close(request: web.Request) -> web.StreamResponse:
    """Close; before the closing time the domain wants a reason, which the audit log keeps."""
    reason = " ".join((await read_form(request)).get("reason").split())[:MAX_REASON]

    async def step(uow: UnitOfWork, detail: RoundDetail) -> str:
        await rounds.close(uow, detail.id, actor=user_of(request).actor,
                           override_reason=reason or None)
        return "admin.round.closed"

    return await _act(request, step)


@requires(Permission.ROUNDS_ANNOUNCE)
async def announce(request: web.Request) -> web.StreamResponse:
    """Start queuing the announcement in the background; the round's page shows progress."""
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
    if detail.status != RoundStatus.OPEN:
        flash(request, "admin.error.round.not_open", error=True)
    elif announcing.start(console_of(request), detail, user_of(request), remote_addr(request)):
        flash(request, "admin.announce.started")
    return redirect(f"/admin/rounds/{detail.id}#announce")
