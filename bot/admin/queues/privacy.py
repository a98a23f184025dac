"""Data-subject requests received by letter, e-mail or in person: record, then act in time.

Admins only (a person's data spans every agency they wrote to). A request names
the person by channel and that channel's user id; the page shows the legal
deadline (consultations.console.dsr) and the two actions: download a copy of
the data as JSON, or erase it. Both are POSTs (CSRF-checked) and audited.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.admin.errors import ConsoleError
from bot.admin.forms import read_form
from bot.admin.queues.common import clock_now
from bot.admin.render import SECURITY_HEADERS, error_key, page, redirect
from bot.admin.scope import path_id, requires
from bot.admin.session import flash
from bot.admin.validate import Validator
from bot.admin.work import unit, user_of
from consultations.console import dsr
from consultations.console.access import Permission
from consultations.console.dsr import NewRequest, RequestView
from consultations.errors import DomainError, NotFound
from storage.uow import UnitOfWork

CHANNELS = ("webchat", "telegram", "zalo", "zalo_bot")
FIELDS = {"privacy.participant_not_found": "channel_user_id",
          "privacy.received_in_future": "received_at", "privacy.received_too_old": "received_at"}


async def _list_page(request: web.Request, *, status: int = 200,
                     errors: dict[str, str] | None = None,
                     values: dict[str, Any] | None = None) -> web.Response:
    async with unit(request) as uow:
        requests = await dsr.list_requests(uow, clock_now(request))
    return page(request, "queues/privacy.html", status=status, requests=requests,
                errors=errors or {}, values=values or {}, channels=CHANNELS, kinds=dsr.KINDS,
                vias=dsr.VIAS, now=clock_now(request), hours={k: int(d.total_seconds() // 3600)
                                      for k, d in dsr.DEADLINES.items()})


@requires(Permission.PRIVACY_REQUESTS)
async def list_page(request: web.Request) -> web.StreamResponse:
    return await _list_page(request)


def _read(v: Validator) -> NewRequest | None:
    channel = v.choice("channel", CHANNELS)
    user_id = v.text("channel_user_id", max_len=dsr.USER_ID_MAX, required=True)
    kind = v.choice("kind", dsr.KINDS)
    via = v.choice("received_via", dsr.VIAS)
    received = v.when("received_at", required=True)
    reference = v.text("reference", max_len=dsr.REFERENCE_MAX)
    note = v.text("note", max_len=dsr.NOTE_MAX, multiline=True)
    if not v.ok or received is None:
        return None
    return NewRequest(channel, user_id.strip(), kind, received, via, reference, note)


@requires(Permission.PRIVACY_REQUESTS)
async def record(request: web.Request) -> web.StreamResponse:
    v = Validator(request, await read_form(request))
    new = _read(v)
    user = user_of(request)
    async with unit(request) as uow:
        if new is not None:
            try:
                request_id = await dsr.record_request(uow, new, staff_id=user.id,
                                                      actor=user.actor)
            except DomainError as refused:
                v.domain(refused, FIELDS)
            else:
                await uow.commit()
    if not v.ok:
        return await _list_page(request, status=400, errors=v.errors,
                                values=dict(v.form.fields))
    flash(request, "admin.privacy.recorded", id=request_id)
    return redirect(f"/admin/work/privacy/{request_id}")


async def _request(request: web.Request, uow: UnitOfWork) -> RequestView:
    try:
        return await dsr.get_request(uow, path_id(request), clock_now(request))
    except NotFound as error:
        raise ConsoleError(404, "admin.error.not_found") from error


@requires(Permission.PRIVACY_REQUESTS)
async def request_page(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        found = await _request(request, uow)
    return page(request, "queues/privacy_request.html", r=found)


@requires(Permission.PRIVACY_REQUESTS)
async def export(request: web.Request) -> web.StreamResponse:
    """The person's data as a JSON file to send them; the first export completes a copy request."""
    user = user_of(request)
    async with unit(request) as uow:
        found = await _request(request, uow)
        try:
            data = await dsr.export_for(uow, found.id, staff_id=user.id, actor=user.actor)
        except DomainError as refused:
            flash(request, error_key(refused), error=True, **refused.params)
            return redirect(f"/admin/work/privacy/{found.id}")
        await uow.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return web.Response(body=body, content_type="application/json", charset="utf-8", headers={
        **SECURITY_HEADERS,
        "Content-Disposition": f'attachment; filename="du-lieu-ca-nhan-yeu-cau-{found.id}.json"',
    })


@requires(Permission.PRIVACY_REQUESTS)
async def erase(request: web.Request) -> web.StreamResponse:
    user = user_of(request)
    async with unit(request) as uow:
        found = await _request(request, uow)
        try:
            await dsr.erase_for(uow, found.id, staff_id=user.id, actor=user.actor)
        except DomainError as refused:
            flash(request, error_key(refused), error=True, **refused.params)
        else:
            await uow.commit()
            flash(request, "admin.privacy.erased", id=found.id)
    return redirect(f"/admin/work/privacy/{found.id}")
