"""Delivery through the real dispatcher while the stand-in fails now and then, and a block."""

from __future__ import annotations

import asyncio
import collections

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.zalo_bot.standin import StandinFaults
from consultations import outbox
from storage.engine import session_factory
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.zalo_bot.conftest import Stack


async def _unfinished(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(
            select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(["pending", "sending"]))
        ) or 0)


async def test_every_row_is_delivered_once_despite_server_errors_and_a_blocked_chat(
    webhook_stack: Stack, engine: AsyncEngine
) -> None:
    standin = webhook_stack.standin
    chats = [f"{n:020x}" for n in range(1, 21)]
    standin.faults = StandinFaults(seed=11, server_error=0.1, bad_gateway=0.1,
                                   blocked_chats={chats[0]})
    uow_factory = UnitOfWorkFactory(session_factory(engine))
    async with uow_factory() as uow:
        for n in range(40):
            await outbox.enqueue(uow, channel="zalo_bot", recipient=chats[n % len(chats)],
                                 payload={"text": f"Tin số {n}", "buttons": []},
                                 dedupe_key=f"fault-test:{n}")
        await uow.commit()
    webhook_stack.runtime.ctx.wake_dispatcher()  # type: ignore[union-attr]
    for _ in range(600):  # bounded: at most 60 s
        if await _unfinished(uow_factory) == 0:
            break
        await asyncio.sleep(0.1)
    async with uow_factory() as uow:
        statuses = collections.Counter(await uow.session.scalars(select(OutboxMessage.status)))
    assert statuses == {"sent": 38, "unreachable": 2}, f"rows ended as {dict(statuses)}"
    delivered = collections.Counter(m.text for m in standin.sent)
    assert set(delivered) == {f"Tin số {n}" for n in range(40) if n % 20}, "none lost"
    assert max(delivered.values()) == 1, "a refused request delivered nothing, so no duplicate"
    assert standin.violations == 0
