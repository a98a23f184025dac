"""The comment queue: rounds with comments waiting, one round's comments, one comment.

Moderators approve, hide (with a reason) or mark abusive; agency staff also
record what became of a comment. The list shows held comments first; every
action is checked against the person's agency on the server, whatever the form
or URL says.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.admin.forms import read_form
from bot.admin.queues import common
from bot.admin.render import page, redirect
from bot.admin.scope import path_id, requires, round_in_scope
from bot.admin.session import flash
from bot.admin.validate import Validator
from bot.admin.work import unit, user_of
from consultations import outcomes, sections
from consultations.console import moderation
from consultations.console import rounds as console_rounds
from consultations.console.access import Permission
from consultations.console.moderation import QueueItem
from consultations.errors import DomainError
from consultations.vocab import RoundStatus

LISTED = [s.value for s in RoundStatus if s != RoundStatus.DRAFT]
OUTCOME_FIELDS = {"outcome.note_required": "note", "outcome.note_too_long": "note",
                  "outcome.bad_value": "outcome"}
MODERATION_FIELDS = {"moderation.reason_required": "reason",
                     "moderation.reason_too_long": "reason", "moderation.bad_action": "action"}


@requires(Permission.COMMENTS_VIEW)
async def overview(request: web.Request) -> web.StreamResponse:
    """Rounds of the person's agency that can have comments, with how many wait for review."""
    user = user_of(request)
    async with unit(request) as uow:
        rows = [r for r in await console_rounds.list_rounds(uow, agency_id=user.agency_scope)
                if r.status in LISTED]
        counts = await moderation.moderation_counts(uow, [r.id for r in rows])
    return page(request, "queues/overview.html", rounds=rows, counts=counts)


@requires(Permission.COMMENTS_VIEW)
async def queue_page(request: web.Request) -> web.StreamResponse:
    flt = common.comment_filter(request)
    async with unit(request) as uow:
        detail = await round_in_scope(request, uow, path_id(request))
        found = await moderation.list_comments(uow, detail.id, flt,
                                               page=common.page_number(request))
        articles = await sections.list_articles(uow, detail.id)
    return page(
        request, "queues/queue.html", round=detail, found=found, flt=flt, articles=articles,
        stances=common.STANCES, moderations=common.MODERATIONS,
        here=f"{request.path}?{common.filter_query(flt, found.page)}",
        page_query=lambda n: common.filter_query(flt, n),
    )


def _comment_page(request: web.Request, item: QueueItem, *, status: int = 200,
                  **forms: Any) -> web.Response:
    return page(
        request, "queues/comment.html", status=status, c=item, outcomes=common.OUTCOMES,
        actions=list(moderation.ACTIONS), mod_errors=forms.get("mod_errors", {}),
        out_errors=forms.get("out_errors", {}), values=forms.get("values", {}),
    )


@requires(Permission.COMMENTS_VIEW)
async def comment_page(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        item = await common.comment_in_scope(request, uow, path_id(request))
    return _comment_page(request, item)


@requires(Permission.COMMENTS_MODERATE)
async def moderate_one(request: web.Request) -> web.StreamResponse:
    """Approve, hide or mark abusive one comment; back to where the person was."""
    v = Validator(request, await read_form(request))
    action = v.choice("action", list(moderation.ACTIONS))
    reason = v.text("reason", max_len=moderation.REASON_MAX, multiline=True)
    async with unit(request) as uow:
        item = await common.comment_in_scope(request, uow, path_id(request))
        if v.ok:
            try:
                await moderation.moderate(uow, [item.id], action, reason,
                                          agency_id=user_of(request).agency_scope,
                                          actor=user_of(request).actor)
            except DomainError as refused:
                v.domain(refused, MODERATION_FIELDS)
            else:
                await uow.commit()
    if not v.ok:
        return _comment_page(request, item, status=400, mod_errors=v.errors,
                             values={"action": action, "reason": reason})
    flash(request, "admin.work.moderated." + action, id=item.id)
    return redirect(common.back_to(v.form.get("next"), f"/admin/work/comments/{item.id}"))


@requires(Permission.OUTCOMES_SET)
async def outcome_one(request: web.Request) -> web.StreamResponse:
    """Record that a comment was accepted, partly accepted or explained (with a reason)."""
    v = Validator(request, await read_form(request))
    outcome = v.choice("outcome", common.OUTCOMES)
    note = v.text("note", max_len=4000, multiline=True)
    user = user_of(request)
    async with unit(request) as uow:
        item = await common.comment_in_scope(request, uow, path_id(request))
        if v.ok:
            try:
                await outcomes.set_outcome(uow, item.id, outcome, note,
                                           agency_id=user.agency_scope, actor=user.actor,
                                           staff_id=user.id)
            except DomainError as refused:
                v.domain(refused, OUTCOME_FIELDS)
            else:
                await uow.commit()
    if not v.ok:
        return _comment_page(request, item, status=400, out_errors=v.errors,
                             values={"outcome": outcome, "note": note})
    flash(request, "admin.work.outcome_saved", id=item.id)
    return redirect(common.back_to(v.form.get("next"), f"/admin/work/comments/{item.id}"))

