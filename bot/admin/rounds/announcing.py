"""Announcing a round runs in the background; the round's page shows its progress.

Queuing tens of thousands of messages takes longer than a proxy waits for a page,
so the request only starts the work (through the task supervisor) and redirects.
Each batch is committed, and the dispatcher is woken after each, so sending starts
while queuing goes on. A restart mid-way loses only what was not committed; pressing
"send" again queues exactly the followers who were missed (dedupe keys).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from bot.admin.state import Console
from consultations.console import announce, audit_stamp
from consultations.console.access import StaffUser
from consultations.console.rounds import RoundDetail
from handlers import actions as chat_actions
from handlers.messages import Button, Reply
from handlers.texts import t

log = logging.getLogger(__name__)


def announcement(detail: RoundDetail, tz: ZoneInfo) -> Callable[[str], dict[str, Any]]:
    """The message a follower receives, in their language, with a button to read the draft."""
    closes = detail.closes_at.astimezone(tz).strftime("%d/%m/%Y") if detail.closes_at else ""

    def payload(locale: str) -> dict[str, Any]:
        body = t(locale, "admin.announce.message", agency=detail.agency_name,
                 title=detail.title, closes=closes)
        read = Button(t(locale, "admin.announce.read"), chat_actions.make("r", detail.id))
        return Reply(body, ((read,),)).to_payload()

    return payload


def start(console: Console, detail: RoundDetail, user: StaffUser, remote_addr: str) -> bool:
    """Start queuing unless this instance already is for that round; False when it was."""
    if detail.id in console.announcing:
        return False
    console.announcing.add(detail.id)
    payload_for = announcement(detail, console.ctx.settings.tz)
    console.ctx.tasks.spawn(f"announce-round-{detail.id}",
                            _run(console, detail.id, payload_for, user, remote_addr))
    return True


async def _run(console: Console, round_id: int, payload_for: Callable[[str], dict[str, Any]],
               user: StaffUser, remote_addr: str) -> None:
    after, queued = 0, 0
    try:
        while True:
            async with console.ctx.uow() as uow:
                audit_stamp.attach(uow, staff_id=user.id, remote_addr=remote_addr)
                added, last = await announce.announce_batch(
                    uow, round_id, payload_for, actor=user.actor, after_id=after)
                await uow.commit()
            queued += added
            console.ctx.wake_dispatcher()
            if last is None:
                break
            after = last
        log.info("round %s announced: %s messages queued", round_id, queued)
    finally:
        console.announcing.discard(round_id)
