"""Near-duplicate groups of a round (campaign copies), and actions on a whole group at once.

A bulk form carries the ids of the comments the person saw. The server accepts
them only when every one is a comment of this round (so of the person's agency);
an id from elsewhere refuses the whole request as "not found", audited.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.admin.errors import ConsoleError
from bot.admin.forms import read_form
from bot.admin.queues import common
from bot.admin.queues.comments import MODERATION_FIELDS, OUTCOME_FIELDS
from bot.admin.render import page, redirect
from bot.admin.scope import DENIED, path_id, requires, round_in_scope
from bot.admin.session import flash
from bot.admin.validate import Validator
from bot.admin.work import unit, user_of
from consultations import outcomes
from consultations.console import duplicates, moderation
from consultations.console.access import Permission
from consultations.console.rounds import RoundDetail
from consultations.errors import DomainError, NotFound
from storage.uow import UnitOfWork

SHOWN_GROUPS = 100
MAX_IDS = 5000


@requires(Permission.COMMENTS_VIEW)
async def groups_page(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        groups = (await duplicates.duplicate_groups(uow, detail.id))[:SHOWN_GROUPS]
        leaders = {i.id: i for i in await moderation.items(
            uow, [g.representative for g in groups])}
    return page(request, "queues/groups.html", round=detail, groups=groups, leaders=leaders)


async def _group(request: web.Request, uow: UnitOfWork, detail: RoundDetail) -> dict[str, Any]:
    try:
        found = await duplicates.group_of(uow, detail.id, path_id(request, "rep"))
    except NotFound as error:
        raise ConsoleError(404, "admin.error.not_found") from error
    members = await moderation.items(uow, found.members)
    return {"round": detail, "group": found, "members": members}


def _group_page(request: web.Request, context: dict[str, Any], *, status: int = 200,
                **forms: Any) -> web.Response:
    return page(
        request, "queues/group.html", status=status, outcomes=common.OUTCOMES,
        actions=list(moderation.ACTIONS), mod_errors=forms.get("mod_errors", {}),
        out_errors=forms.get("out_errors", {}), values=forms.get("values", {}), **context,
    )


@requires(Permission.COMMENTS_VIEW)
async def group_page(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        context = await _group(request, uow, detail)
    return _group_page(request, context)


async def _posted_ids(request: web.Request, uow: UnitOfWork, round_id: int) -> list[int]:
    """The comment ids the form carries, all of them comments of this round, or a 404."""
    raw = (await read_form(request)).fields.getall("ids", [])
    if not raw or len(raw) > MAX_IDS or not all(r.isdigit() and len(r) <= 9 for r in raw):
        raise ConsoleError(400, "admin.work.group.no_ids")
    ids = sorted({int(r) for r in raw})
    found = await moderation.items(uow, ids)
    if len(found) != len(ids) or any(item.round_id != round_id for item in found):
        raise ConsoleError(404, "admin.error.not_found", audit=DENIED)
    return ids


@requires(Permission.COMMENTS_MODERATE)
async def group_moderate(request: web.Request) -> web.StreamResponse:
    v = Validator(request, await read_form(request))
    action = v.choice("action", list(moderation.ACTIONS))
    reason = v.text("reason", max_len=moderation.REASON_MAX, multiline=True)
    user = user_of(request)
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        ids = await _posted_ids(request, uow, detail.id)
        if v.ok:
            try:
                await moderation.moderate(uow, ids, action, reason, agency_id=user.agency_scope,
                                          actor=user.actor)
            except DomainError as refused:
                v.domain(refused, MODERATION_FIELDS)
            else:
                await uow.commit()
        if not v.ok:
            context = await _group(request, uow, detail)
            return _group_page(request, context, status=400, mod_errors=v.errors,
                               values={"action": action, "reason": reason})
    flash(request, "admin.work.group.moderated." + action, count=len(ids))
    return redirect(request.path.rsplit("/", 1)[0])


@requires(Permission.OUTCOMES_SET)
async def group_outcome(request: web.Request) -> web.StreamResponse:
    """One outcome and reason for every comment of the group, all or none."""
    v = Validator(request, await read_form(request))
    outcome = v.choice("outcome", common.OUTCOMES)
    note = v.text("note", max_len=4000, multiline=True)
    user = user_of(request)
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        ids = await _posted_ids(request, uow, detail.id)
        if v.ok:
            try:
                for comment_id in ids:
                    await outcomes.set_outcome(uow, comment_id, outcome, note,
                                               agency_id=user.agency_scope, actor=user.actor,
                                               staff_id=user.id)
            except DomainError as refused:
                v.domain(refused, OUTCOME_FIELDS)
        if not v.ok:
            await uow.rollback()
            context = await _group(request, uow, detail)
            return _group_page(request, context, status=400, out_errors=v.errors,
                               values={"outcome": outcome, "note": note})
        await uow.commit()
    flash(request, "admin.work.group.outcome_saved", count=len(ids))
    return redirect(request.path.rsplit("/", 1)[0])
