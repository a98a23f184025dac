"""The reminder jobs: finish your comment before the round closes; questions nearly or
already due, to the agency."""

from __future__ import annotations

import logging
from itertools import groupby

from sqlalchemy.exc import IntegrityError

from bot.jobs.base import JobDeps
from consultations import staff_links
from consultations.digests import reminders
from handlers import scheduled_notices

log = logging.getLogger(__name__)


async def run_closing_reminders(deps: JobDeps) -> str:
    """People part-way through a comment on a round closing within three days, once each."""
    async with deps.uow() as uow:
        closing = await reminders.closing_rounds(uow)
    queued = 0
    for item in closing:
        try:
            async with deps.uow() as uow:
                people = await reminders.unfinished_comments(uow, item.id)
                queued += await scheduled_notices.remind_closing(uow, item, people, deps.tz_name)
                await uow.commit()
        except IntegrityError:
            log.info("closing reminders of round %d were sent by another run", item.id)
    if queued:
        deps.wake()
    return f"closing reminders: {len(closing)} rounds closing soon, {queued} messages"


async def run_question_reminders(deps: JobDeps) -> str:
    """Each agency hears once when a question is due within three days, once when overdue."""
    async with deps.uow() as uow:
        due = await reminders.due_questions(uow)
    queued = 0
    for agency_id, items in groupby(due, key=lambda q: q.agency_id):
        batch = list(items)
        try:
            async with deps.uow() as uow:
                places = await staff_links.destinations(uow, agency_id)
                if not places:  # nobody to tell yet: remind once someone is linked
                    continue
                queued += await scheduled_notices.remind_questions(
                    uow, batch, places, limits=deps.text_limits, tz_name=deps.tz_name
                )
                await uow.commit()
        except IntegrityError:
            log.info("question reminders of agency %d were sent by another run", agency_id)
    if queued:
        deps.wake()
    return f"question reminders: {len(due)} questions, {queued} messages"
