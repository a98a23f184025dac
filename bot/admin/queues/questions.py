"""The questions inbox: due soonest first, overdue marked; answering relays to the citizen.

The answer is recorded (consultations.outcomes.answer_question, scoped and
audited) and queued to the asker on the channel they asked from, with a rating
request (handlers.notify.relay_answer), in one transaction; the dispatcher is
woken after the commit so the citizen gets it within a second.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.admin.errors import ConsoleError
from bot.admin.forms import read_form
from bot.admin.queues.common import clock_now
from bot.admin.render import page, redirect
from bot.admin.scope import check_agency, path_id, requires
from bot.admin.session import flash
from bot.admin.state import console_of
from bot.admin.validate import Validator
from bot.admin.work import unit, user_of
from consultations import outcomes
from consultations.console import inbox
from consultations.console.access import Permission
from consultations.console.inbox import InboxItem
from consultations.errors import DomainError, NotFound
from consultations.vocab import MAX_TEXT_LENGTH
from handlers import notify
from storage.uow import UnitOfWork

ANSWER_FIELDS = {"answer.empty": "answer", "question.already_answered": "form"}


@requires(Permission.QUESTIONS_ANSWER)
async def inbox_page(request: web.Request) -> web.StreamResponse:
    status = request.query.get("status", "open")
    status = status if status in inbox.STATUSES else "open"
    scope = user_of(request).agency_scope
    now = clock_now(request)
    async with unit(request) as uow:
        items = await inbox.list_questions(uow, agency_id=scope, status=status, now=now)
        counts = await inbox.counts(uow, agency_id=scope, now=now)
    return page(request, "queues/questions.html", items=items, counts=counts,
                status_filter=status, statuses=inbox.STATUSES)


async def _question_in_scope(request: web.Request, uow: UnitOfWork) -> InboxItem:
    try:
        item = await inbox.question_item(uow, path_id(request), clock_now(request))
    except NotFound as error:
        raise ConsoleError(404, "admin.error.not_found") from error
    check_agency(request, item.agency_id)
    return item


def _question_page(request: web.Request, item: InboxItem, *, status: int = 200,
                   **form: Any) -> web.Response:
    return page(request, "queues/question.html", status=status, q=item,
                errors=form.get("errors", {}), answer=form.get("answer", ""),
                max_answer=MAX_TEXT_LENGTH)


@requires(Permission.QUESTIONS_ANSWER)
async def question_page(request: web.Request) -> web.StreamResponse:
    async with unit(request) as uow:
        item = await _question_in_scope(request, uow)
    return _question_page(request, item)


@requires(Permission.QUESTIONS_ANSWER)
async def answer(request: web.Request) -> web.StreamResponse:
    v = Validator(request, await read_form(request))
    text = v.text("answer", max_len=MAX_TEXT_LENGTH, required=True, multiline=True)
    user = user_of(request)
    async with unit(request) as uow:
        item = await _question_in_scope(request, uow)
        relayed = False
        if v.ok:
            try:
                await outcomes.answer_question(uow, item.id, text, agency_id=user.agency_scope,
                                               staff_id=user.id, actor=user.actor)
                relayed = await notify.relay_answer(uow, item.id)
            except DomainError as refused:
                v.domain(refused, ANSWER_FIELDS)
            else:
                await uow.commit()
    if not v.ok:
        return _question_page(request, item, status=400, errors=v.errors, answer=text)
    console_of(request).ctx.wake_dispatcher()
    flash(request, "admin.work.answered" if relayed else "admin.work.answered_unreachable",
          id=item.id)
    return redirect(f"/admin/work/questions/{item.id}")
