"""The rounds job: open and close rounds whose time has come, announce it to followers."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from bot.jobs.base import JobDeps
from consultations import rounds
from consultations.digests import announcements
from handlers import scheduled_notices

log = logging.getLogger(__name__)


async def run_rounds(deps: JobDeps) -> str:
    """One sweep; each round event is announced in its own transaction with its mark."""
    async with deps.uow() as uow:
        opened, closed = await rounds.sweep(uow)
        await uow.commit()
    async with deps.uow() as uow:
        due, stale = await announcements.pending_events(uow)
        if stale:
            await announcements.mark_done(uow, stale)
            await uow.commit()
    queued = 0
    for event in due:
        try:
            async with deps.uow() as uow:
                recipients = await announcements.followers(uow, event)
                queued += await scheduled_notices.announce(uow, event, recipients, deps.tz_name)
                await uow.commit()
        except IntegrityError:  # another instance announced it at the same moment
            log.info("round %d %s was announced by another run", event.round_id, event.event)
    if queued:
        deps.wake()
    return (
        f"rounds: {len(opened)} opened, {len(closed)} closed; {len(due)} events announced "
        f"({queued} messages), {len(stale)} too old to announce"
    )
