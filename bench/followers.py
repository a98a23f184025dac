"""A round with N Telegram followers, and its announcement queued the way the console does it.

Followers are bulk-inserted (participants, notify consents, "all rounds" subscriptions):
going through the chat flow 200,000 times would measure the flows, not the broadcast.
The announcement goes through consultations.console.announce batch by batch, each batch
committed, with the message the admin console builds (text plus a "read the draft"
button), so the outbox rows are exactly those a real announcement queues.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text

from bot.admin.rounds.announcing import announcement
from consultations import agencies, rounds, sections
from consultations.console import announce
from consultations.console.rounds import round_detail
from storage.models import Consent, Participant, Subscription
from storage.uow import UnitOfWorkFactory

FIRST_CHAT = 10_000_000
CHUNK = 20_000
DRAFT = "Điều 1. Phạm vi\nNội dung.\n\nĐiều 2. Đối tượng\nNội dung."


async def seed(factory: UnitOfWorkFactory, followers: int) -> int:
    """An open round and `followers` people who follow every round; returns the round id."""
    async with factory() as uow:
        agency = await agencies.add_agency(uow, "SO-BROADCAST", "Sở Thông tin và Truyền thông")
        made = await rounds.create_round(
            uow, agency_id=agency.id, title="Dự thảo quy định về phí", document_type="legal"
        )
        await sections.import_draft(uow, made.id, DRAFT, actor="bench")
        await rounds.open_now(uow, made.id, actor="bench")
        await uow.commit()
    for start in range(0, followers, CHUNK):
        await _add_people(factory, range(start, min(followers, start + CHUNK)))
    async with factory() as uow:  # fresh statistics, as a database that grew slowly has
        await uow.session.execute(text("ANALYZE"))
        await uow.commit()
    return made.id


async def _add_people(factory: UnitOfWorkFactory, numbers: range) -> None:
    """One chunk of followers in one transaction (a million parameters in one go is slow)."""
    now = datetime.now(UTC)
    async with factory() as uow:
        people = [_person(n, now) for n in numbers]
        await uow.session.execute(insert(Participant), people)
        ids = list(
            await uow.session.scalars(
                select(Participant.id).where(
                    Participant.channel_user_id.in_([p["channel_user_id"] for p in people])
                )
            )
        )
        await uow.session.execute(
            insert(Consent),
            [
                {"participant_id": i, "purpose": "notify", "text_version": "2026-11",
                 "granted_at": now}
                for i in ids
            ],
        )
        await uow.session.execute(
            insert(Subscription),
            [{"participant_id": i, "target": "all", "target_id": 0, "created_at": now}
             for i in ids],
        )
        await uow.commit()


def _person(number: int, now: datetime) -> dict[str, Any]:
    return {
        "channel": "telegram",
        "channel_user_id": str(FIRST_CHAT + number),
        "kind": "citizen",
        "locale": "vi" if number % 5 else "en",
        "created_at": now,
        "last_seen_at": now,
    }


async def queue_announcement(factory: UnitOfWorkFactory, round_id: int) -> tuple[int, float]:
    """Queue the announcement to every follower; returns (rows queued, seconds taken)."""
    async with factory() as uow:
        detail = await round_detail(uow, round_id)
    payload_for = announcement(detail, ZoneInfo("Asia/Ho_Chi_Minh"))
    started, after, queued = time.perf_counter(), 0, 0
    while True:
        async with factory() as uow:
            added, last = await announce.announce_batch(
                uow, round_id, payload_for, actor="bench", after_id=after
            )
            await uow.commit()
        queued += added
        if last is None:
            return queued, time.perf_counter() - started
        after = last
