"""What one citizen event costs inside the process: CPU time and SQL statements.

    python -m bench.flow_cost [--events 1500] [--users 100] [--batch 1] [--db sqlite|postgres]

The ingest benchmark measures the whole webhook path with the load generator and the
stand-in on the same cores; this one takes the HTTP server, PTB's sending and the
outbox dispatcher away and runs the flow alone, in this process: real Update JSON
parsed by PTB, classified, dispatched and committed, for the same comment cycle as the
ingest benchmark (text, stance, send). Statements per event are exact and repeatable
whatever else the machine is doing, so they are the figure to compare before and after
a change; CPU per event is the one that sets the throughput. `--batch N` hands N events of
different people to `dispatch_many` in one transaction, as the webhook's group commit does
under load (bot/ingest.py); the default, 1, is an event alone, as at a quiet hour.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import event
from telegram import Update

from bench.ingest import OUT, POSTGRES, _prepare_database, _reset_postgres
from bench.loadgen import User
from bot.app import TEXT_LIMITS
from bot.telegram.standin import make_callback_update, make_text_update, make_user
from bot.telegram.updates import classify
from handlers.dispatch import dispatch, dispatch_many
from handlers.flows.context import FlowSettings
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWorkFactory


@dataclass
class FlowCost:
    db: str
    events: int
    batch: int
    cpu_ms_per_event: float
    wall_ms_per_event: float
    statements_per_event: float


class Harness:
    """Feeds updates to `dispatch` one after another, counting the statements sent."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.statements = 0
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._count)
        self.uows = UnitOfWorkFactory(session_factory(self.engine))
        self.settings = FlowSettings(text_limits=TEXT_LIMITS)
        self._ids = iter(range(1, 10**9))

    def _count(self, *_: Any) -> None:
        self.statements += 1

    async def handle(self, data: dict[str, Any]) -> None:
        meaning = classify(Update.de_json(data, None), bot_id=1)
        assert meaning.citizen is not None
        async with self.uows() as uow:
            await dispatch(uow, meaning.citizen, self.settings)
            await uow.commit()

    async def handle_many(self, updates: list[dict[str, Any]]) -> None:
        inbounds = []
        for data in updates:
            meaning = classify(Update.de_json(data, None), bot_id=1)
            assert meaning.citizen is not None
            inbounds.append(meaning.citizen)
        async with self.uows() as uow:
            await dispatch_many(uow, inbounds, self.settings)
            await uow.commit()

    async def consent(self, users: list[User]) -> None:
        for user in users:
            person = make_user(user.chat, language_code="vi")
            await self.handle(make_text_update(user.chat, "/start", user=person,
                                               update_id=next(self._ids)))
            await self.handle(make_callback_update(user.chat, "consent:yes", 1, user=person,
                                                   update_id=next(self._ids)))

    async def cycle(self, users: list[User], events: int, batch: int = 1) -> None:
        """`events` events, `batch` at a time, each of a batch from a different person."""
        updates = [users[n % len(users)].next_update(next(self._ids), echo=False)
                   for n in range(events)]
        for start in range(0, events, batch):
            if batch == 1:
                await self.handle(updates[start])
            else:
                await self.handle_many(updates[start:start + batch])


async def measure(db: str, events: int, users: int, batch: int) -> FlowCost:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/flow.db" if db == "sqlite" else POSTGRES
        if db == "postgres":
            _reset_postgres()
        _prepare_database(url)
        harness = Harness(url)
        people = [User(20_000 + n) for n in range(users)]
        await harness.consent(people)
        await harness.cycle(people, 3 * users)  # warm caches and statements
        harness.statements = 0
        wall, cpu = time.perf_counter(), time.process_time()
        await harness.cycle(people, events, batch)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        await harness.engine.dispose()
    return FlowCost(db, events, batch, 1000 * cpu / events, 1000 * wall / events,
                    harness.statements / events)


async def main(args: argparse.Namespace) -> None:
    if args.batch > args.users:
        raise SystemExit("--batch must not exceed --users: a batch holds different people")
    results = [await measure(db, args.events, args.users, args.batch) for db in args.db]
    header = f"{'flow alone':12} {'events':>7} {'batch':>6} {'cpu/event':>10} {'wall/event':>11}"
    print(f"\n{header} {'SQL/event':>10}")
    for r in results:
        print(f"{r.db:12} {r.events:7d} {r.batch:6d} {r.cpu_ms_per_event:8.2f}ms "
              f"{r.wall_ms_per_event:9.2f}ms {r.statements_per_event:10.1f}")
    OUT.mkdir(exist_ok=True)
    (OUT / "flow_cost.json").write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1500)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"],
                        choices=["sqlite", "postgres"])
    asyncio.run(main(parser.parse_args()))
