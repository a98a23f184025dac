"""Broadcast benchmark: an announcement to 200,000 Telegram followers at 1,000 messages/s.

    python -m bench.broadcast [--followers 200000] [--rate 1000] [--db postgres sqlite]
                              [--modes straight kill] [--reuse] [--profile DIR]

For each database: seed the followers and queue the announcement through the console's
announce path (bench/followers.py) once, into a seed database (bench/broadcast_db.py).
For each mode, on a fresh copy of it: start the Telegram stand-in with its flood
limits set to `--rate` messages/s (ordinary and paid broadcast; per-chat limits as on
Telegram), then `consultbot run` with TELEGRAM_MESSAGES_PER_SECOND=`--rate` and paid
broadcast on, and watch the stand-in's sent log until every row is finished.
"kill" SIGKILLs the service when half the followers have their message and starts it
again at once.

Figures: messages/s from the first to the last message (minus the restart gap), the
busiest wall-clock second, 429s the stand-in answered, duplicates (a chat that got the
announcement twice: one row per chat), missing (a follower without it, or a row not
"sent"), and for the kill: the restart gap, the rows the dead process had claimed, and how
long after the restart the last of them went (its lease had to run out first).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bench import followers
from bench.broadcast_db import Seed, clone, seed
from bench.service import (
    Child,
    StandinOptions,
    attach_profiler,
    cpu_seconds,
    free_port,
    get_json,
    running,
    service_env,
    standin_args,
    start_service,
    wait_http,
)
from storage.engine import create_engine, session_factory
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/cb_broadcast"
OUT = Path(__file__).parent / "out"
TARGET_SHARE = 0.95
POLL_S = 0.5


@dataclass
class Run:
    """One broadcast, as the stand-in and the database saw it."""

    backend: str
    mode: str
    followers: int
    queued: int = 0
    queue_s: float = 0.0
    messages: int = 0
    duplicates: int = 0
    missing: int = 0
    not_sent_rows: int = 0
    rate: float = 0.0
    steady_rate: float = 0.0
    busiest_second: int = 0
    throttled: int = 0
    elapsed_s: float = 0.0
    restart_gap_s: float | None = None
    claimed_at_kill: int | None = None
    in_flight_at_kill: int | None = None
    lease_stall_s: float | None = None
    service_cpu_s: float = 0.0
    standin_cpu_s: float = 0.0
    service_cpu_per_1000: float | None = None
    standin_cpu_per_1000: float | None = None
    target_rate: float = 0.0
    log: str = ""
    measured_at: str = ""


@dataclass
class Watch:
    """What the benchmark collects while the broadcast runs."""

    times: list[float] = field(default_factory=list)
    chats: Counter[int] = field(default_factory=Counter)
    chat_times: dict[int, list[float]] = field(default_factory=dict)
    offset: int = 0
    killed_at: float | None = None
    restarted_at: float | None = None
    claimed: list[int] = field(default_factory=list)


async def _unfinished(factory: UnitOfWorkFactory) -> tuple[int, list[int]]:
    """Rows not yet finished, and the recipients of those claimed ("sending") right now."""
    async with factory() as uow:
        pending = await uow.session.scalar(
            select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(("pending", "sending")))
        )
        claimed = await uow.session.scalars(
            select(OutboxMessage.recipient).where(OutboxMessage.status == "sending")
        )
        return int(pending or 0), [int(chat) for chat in claimed]


async def _not_sent(factory: UnitOfWorkFactory) -> int:
    async with factory() as uow:
        count = await uow.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")
        )
        return int(count or 0)


async def _collect(session: aiohttp.ClientSession, root: str, watch: Watch) -> None:
    """Read the stand-in's sent log from where we stopped last time."""
    while True:
        page = await get_json(session, f"{root}/_standin/sent?offset={watch.offset}")
        sent: list[dict[str, Any]] = page["sent"]  # type: ignore[assignment]
        for message in sent:
            chat, at = int(message["chat_id"]), float(message["time"])
            watch.times.append(at)
            watch.chats[chat] += 1
            watch.chat_times.setdefault(chat, []).append(at)
        watch.offset = int(page["next"])  # type: ignore[call-overload]
        if not sent:
            return


async def _broadcast(
    env: dict[str, str], root: str, factory: UnitOfWorkFactory, run: Run, kill: bool,
    log_path: Path, deadline: float, profile: Path | None,
) -> Watch:
    """Start the service and watch until every row is finished (or the deadline passes)."""
    watch = Watch()
    child: Child = await start_service(env, log_path, profile)
    idle_cpu = cpu_seconds(child.pid)  # starting up is not the broadcast's cost
    try:
        async with aiohttp.ClientSession() as session:
            checked = 0.0
            while time.monotonic() < deadline:
                await asyncio.sleep(POLL_S)
                await _collect(session, root, watch)
                if kill and watch.killed_at is None and len(watch.times) >= run.queued // 2:
                    run.service_cpu_s += cpu_seconds(child.pid) - idle_cpu
                    child.kill()
                    watch.killed_at = time.time()
                    _, watch.claimed = await _unfinished(factory)
                    child = await start_service(env, log_path, profile)
                    idle_cpu = cpu_seconds(child.pid)
                    watch.restarted_at = time.time()
                if time.monotonic() - checked > 2:
                    checked = time.monotonic()
                    left, _ = await _unfinished(factory)
                    if left == 0:
                        await asyncio.sleep(1)
                        await _collect(session, root, watch)
                        break
            stats = await get_json(session, f"{root}/_standin/stats")
            run.throttled = int(stats["violations"])  # type: ignore[call-overload]
            run.service_cpu_s += cpu_seconds(child.pid) - idle_cpu
    finally:
        child.stop()
    return watch


def _figures(run: Run, watch: Watch) -> None:
    """Rates, duplicates, missing, and what the kill cost, from the stand-in's timestamps."""
    times = sorted(watch.times)
    run.messages = len(times)
    run.duplicates = sum(n - 1 for n in watch.chats.values() if n > 1)
    expected = range(followers.FIRST_CHAT, followers.FIRST_CHAT + run.followers)
    run.missing = sum(1 for chat in expected if chat not in watch.chats)
    if len(times) < 2:
        return
    if watch.killed_at is not None:
        _kill_figures(run, watch, times)
    gap = run.restart_gap_s or 0.0
    run.elapsed_s = times[-1] - times[0]
    run.rate = len(times) / max(1e-9, run.elapsed_s - gap)
    low, high = times[len(times) // 20], times[len(times) * 19 // 20]
    middle = sum(1 for t in times if low <= t <= high)
    run.steady_rate = middle / max(1e-9, high - low - gap)
    run.busiest_second = max(Counter(int(t) for t in times).values())
    run.service_cpu_per_1000 = 1000 * run.service_cpu_s / len(times)
    run.standin_cpu_per_1000 = 1000 * run.standin_cpu_s / len(times)


def _kill_figures(run: Run, watch: Watch, times: list[float]) -> None:
    """The silence around the restart, and what became of the rows the dead process held."""
    assert watch.killed_at is not None
    killed = watch.killed_at
    before = [t for t in times if t <= killed]
    after = [t for t in times if t > killed]
    if before and after:
        run.restart_gap_s = after[0] - before[-1]
    run.claimed_at_kill = len(watch.claimed)
    first = [min(watch.chat_times.get(chat, [float("inf")])) for chat in watch.claimed]
    run.in_flight_at_kill = sum(1 for at in first if at <= killed)
    last = [max(watch.chat_times.get(chat, [0.0])) for chat in watch.claimed]
    if last and watch.restarted_at is not None:
        run.lease_stall_s = max(last) - watch.restarted_at


async def measure(seed: Seed, mode: str, args: argparse.Namespace) -> Run:
    """One broadcast from a fresh copy of the seed database."""
    url = clone(seed, args.postgres_url)
    run = Run(seed.backend, mode, seed.followers, queued=seed.queued, queue_s=seed.queue_s,
              target_rate=args.rate, measured_at=datetime.now().isoformat(" ", "minutes"))
    stand_port, port = free_port(), free_port()
    root = f"http://127.0.0.1:{stand_port}"
    logs = Path(tempfile.mkdtemp(prefix="bench-broadcast-"))
    run.log = str(logs)
    rate = str(int(args.rate))
    env = service_env(
        url, port, root, TELEGRAM_MESSAGES_PER_SECOND=rate, TELEGRAM_PAID_BROADCAST="true"
    )
    options = StandinOptions(per_second=int(args.rate), paid_per_second=int(args.rate))
    engine = create_engine(url)
    factory = UnitOfWorkFactory(session_factory(engine))
    deadline = time.monotonic() + args.followers / args.rate * 4 + 180
    try:
        with running(standin_args(stand_port, options), logs / "standin.log") as standin:
            await wait_http(f"{root}/_standin/stats")
            standin_idle_cpu = cpu_seconds(standin.pid)
            if args.profile:
                attach_profiler(standin, args.profile, "standin")
            watch = await _broadcast(
                env, root, factory, run, mode == "kill", logs / "service.log", deadline,
                args.profile,
            )
            run.standin_cpu_s = cpu_seconds(standin.pid) - standin_idle_cpu
        run.not_sent_rows = await _not_sent(factory)
    finally:
        await engine.dispose()
    _figures(run, watch)
    return run


def table(runs: list[dict[str, Any]]) -> str:
    """The figures beside their targets, one column per run."""
    def cell(run: dict[str, Any], key: str, fmt: str) -> str:
        value = run.get(key)
        return "—" if value is None else format(value, fmt)

    target = runs[0]["target_rate"] * TARGET_SHARE if runs else 0
    rows = [
        ("messages/s, first to last (minus restart gap)", "rate", ",.0f", f">= {target:,.0f}"),
        ("messages/s, 5th to 95th percentile", "steady_rate", ",.0f", f">= {target:,.0f}"),
        ("busiest wall-clock second", "busiest_second", ",", ""),
        ("429s answered by the stand-in", "throttled", ",", "0"),
        ("duplicates (a chat served twice)", "duplicates", ",", "0"),
        ("missing (a follower not served)", "missing", ",", "0"),
        ("rows not marked sent", "not_sent_rows", ",", "0"),
        ("first to last message, s", "elapsed_s", ",.1f", ""),
        ("queuing the announcement, s", "queue_s", ",.1f", ""),
        ("service CPU per 1,000 messages, s", "service_cpu_per_1000", ".2f", ""),
        ("stand-in CPU per 1,000 messages, s", "standin_cpu_per_1000", ".2f", ""),
        ("restart gap, s", "restart_gap_s", ".1f", ""),
        ("rows claimed by the killed process", "claimed_at_kill", ",", ""),
        ("  of which already at the stand-in", "in_flight_at_kill", ",", ""),
        ("last of them sent, s after restart", "lease_stall_s", ".1f", ""),
    ]
    heads = [f"{r['backend']}/{r['mode']}" for r in runs]
    width = max(len(row[0]) for row in rows)
    lines = [f"{'':{width}}  " + "  ".join(f"{h:>17}" for h in heads) + "  target"]
    for name, key, fmt, goal in rows:
        cells = "  ".join(f"{cell(r, key, fmt):>17}" for r in runs)
        lines.append(f"{name:{width}}  {cells}  {goal}")
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    runs: list[Run] = []
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    for backend in args.db:
        print(f"broadcast: seeding {backend} with {args.followers:,} followers ...", flush=True)
        made = await seed(backend, args.postgres_url, args.followers, reuse=args.reuse)
        for mode in args.modes:
            print(f"broadcast: {backend}, {mode} ...", flush=True)
            runs.append(await measure(made, mode, args))
            print(table([asdict(runs[-1])]), flush=True)
    report = [asdict(run) for run in runs]
    print(f"\nbroadcast to {args.followers:,} followers at {args.rate:,.0f}/s")
    print(table(report))
    _save(report)


def _save(report: list[dict[str, Any]]) -> None:
    """Write this invocation's runs, keeping earlier ones of other databases or modes."""
    path = OUT / "broadcast.json"
    OUT.mkdir(exist_ok=True)
    done = {(run["backend"], run["mode"]) for run in report}
    earlier = json.loads(path.read_text()) if path.exists() else []
    kept = [run for run in earlier if (run.get("backend"), run.get("mode")) not in done]
    path.write_text(json.dumps(kept + report, indent=2))


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=200_000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--db", nargs="+", choices=["postgres", "sqlite"],
                        default=["postgres", "sqlite"])
    parser.add_argument("--modes", nargs="+", choices=["straight", "kill"],
                        default=["straight", "kill"])
    parser.add_argument("--postgres-url", default=POSTGRES,
                        help="dropped and created again for each run; the seed is its name "
                        "with _seed appended")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the seed of an earlier run with as many followers")
    parser.add_argument("--profile", type=Path,
                        help="py-spy on the service and the stand-in, samples into this folder")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
