"""How long announcing a round to its followers takes, and whether pressing again is cheap.

    python -m bench.bench_admin_announce --followers 20000 [--url postgresql+asyncpg://...]

Seeds N followers (consented to notifications, following all rounds) with bulk inserts,
then runs the console's announcement loop (consultations.console.announce) batch by
batch, each batch committed, as the console does. Prints the time for the first run and
for a second run (everything already queued: only the dedupe checks).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, text

from consultations import agencies, rounds, sections
from consultations.console import announce
from storage import migrate
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.models import Consent, Participant, Subscription
from storage.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
DRAFT = "Điều 1. Phạm vi\nNội dung.\n\nĐiều 2. Đối tượng\nNội dung."


async def _seed(factory: UnitOfWorkFactory, followers: int) -> int:
    async with factory() as uow:
        agency = await agencies.add_agency(uow, "SO-BENCH", "Sở Đo")
        made = await rounds.create_round(
            uow, agency_id=agency.id, title="Đo", document_type="legal"
        )
        await sections.import_draft(uow, made.id, DRAFT, actor="bench")
        await rounds.open_now(uow, made.id, actor="bench")
        people = [
            {
                "channel": "telegram",
                "channel_user_id": str(10_000 + n),
                "kind": "citizen",
                "locale": "vi",
                "created_at": NOW,
                "last_seen_at": NOW,
            }
            for n in range(followers)
        ]
        await uow.session.execute(insert(Participant), people)
        ids = list(await uow.session.scalars(select(Participant.id)))
        await uow.session.execute(
            insert(Consent),
            [
                {
                    "participant_id": i,
                    "purpose": "notify",
                    "text_version": "2026-11",
                    "granted_at": NOW,
                }
                for i in ids
            ],
        )
        await uow.session.execute(
            insert(Subscription),
            [
                {"participant_id": i, "target": "all", "target_id": 0, "created_at": NOW}
                for i in ids
            ],
        )
        await uow.commit()
        return made.id


def _payload(locale: str) -> dict[str, Any]:
    return {"text": f"📢 Đo ({locale})", "buttons": []}


async def _announce(factory: UnitOfWorkFactory, round_id: int) -> tuple[int, float]:
    started, after, queued = time.perf_counter(), 0, 0
    while True:
        async with factory() as uow:
            added, last = await announce.announce_batch(
                uow, round_id, _payload, actor="bench", after_id=after
            )
            await uow.commit()
        queued += added
        if last is None:
            return queued, time.perf_counter() - started
        after = last


async def main(followers: int, url: str | None) -> None:
    folder = tempfile.mkdtemp(prefix="bench-announce-")
    engine = create_engine(url or f"sqlite+aiosqlite:///{folder}/bench.db")
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await migrate.upgrade(engine)
    factory = UnitOfWorkFactory(session_factory(engine), FixedClock(NOW))
    round_id = await _seed(factory, followers)
    queued, first = await _announce(factory, round_id)
    again, second = await _announce(factory, round_id)
    await engine.dispose()
    print(f"backend {engine.dialect.name}, {followers} followers, batches of {announce.BATCH}")
    print(f"first run : {queued:>7} queued in {first:6.2f} s ({queued / first:,.0f} msg/s)")
    print(f"second run: {again:>7} queued in {second:6.2f} s (dedupe checks only)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=20_000)
    parser.add_argument("--url", help="a PostgreSQL URL (its public schema is reset!)")
    args = parser.parse_args()
    asyncio.run(main(args.followers, args.url))
