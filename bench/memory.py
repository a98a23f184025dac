"""Memory benchmark: RSS of `consultbot run` idle, and after it has taken 100,000 comments.

    python -m bench.memory [--comments 100000] [--db sqlite postgres] [--workers 32]
                           [--users 2000] [--every 10000]

For each database: an empty database with one open round, the Telegram stand-in (no
limits) and `consultbot run` on its webhook. The service's VmRSS and VmHWM (its peak) are
read from /proc once it has settled after starting, then simulated citizens
(bench/loadgen.py: consent once, then text, stance, send, again and again) post real
Update JSON until the round holds `--comments` comments, and RSS is read every `--every`
comments. A leak shows as RSS still climbing in the second half of the run, when every
cache has long been full: that slope is printed per 10,000 comments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bench.loadgen import LoadGenerator
from bench.service import (
    SECRET,
    StandinOptions,
    free_port,
    memory_kb,
    reset_postgres,
    running,
    service_env,
    standin_args,
    start_service,
    wait_http,
)
from storage.engine import create_engine, session_factory
from storage.models import Comment
from storage.uow import UnitOfWorkFactory

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/cb_memory"
OUT = Path(__file__).parent / "out"
DRAFT = Path(__file__).parents[1] / "consultations" / "samples" / "du_thao_mau.md"
IDLE_BUDGET_MB = 150
LOADED_BUDGET_MB = 250
SLOPE_BUDGET_MB = 1.0  # per 10,000 comments once warm
SETTLE_S = 5.0
CHUNK_S = 10.0


@dataclass
class Memory:
    """RSS figures of one service, in MB."""

    backend: str
    comments: int = 0
    idle_rss_mb: float = 0.0
    loaded_rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    slope_mb_per_10k: float | None = None
    updates_per_s: float = 0.0
    errors: int = 0
    curve: list[tuple[int, float]] = field(default_factory=list)  # (comments, RSS MB)
    budgets: dict[str, float] = field(default_factory=lambda: {
        "idle_mb": IDLE_BUDGET_MB, "loaded_mb": LOADED_BUDGET_MB,
        "slope_mb_per_10k": SLOPE_BUDGET_MB,
    })


def _prepare(url: str) -> None:
    """An empty, migrated database with an open round citizens can comment on (the CLI)."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    for args in (
        ["agency", "add", "MEM", "Sở Đo bộ nhớ"],
        ["round", "import", str(DRAFT), "--agency", "MEM", "--title", "Dự thảo đo bộ nhớ",
         "--open"],
    ):
        subprocess.run([sys.executable, "-m", "bot", *args], env=env, check=True,
                       capture_output=True)


def _mb(kb: int) -> float:
    return kb / 1024


async def _comments(factory: UnitOfWorkFactory) -> int:
    async with factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Comment)) or 0)


async def _load(
    pid: int, webhook: str, factory: UnitOfWorkFactory, args: argparse.Namespace, result: Memory
) -> None:
    """Comment until the target is reached, reading RSS at every `--every` comments."""
    gen = LoadGenerator(webhook, SECRET, args.users, echo=False, first_chat=20_000_000)
    async with aiohttp.ClientSession() as session:
        await gen.setup(session)
    next_mark, updates, seconds = 0, 0, 0.0
    while result.comments < args.comments:
        rate = await gen.closed_loop(args.workers, CHUNK_S)
        updates += len(gen.samples)
        seconds += len(gen.samples) / rate if rate else CHUNK_S
        gen.samples.clear()
        result.comments = await _comments(factory)
        if result.comments >= next_mark:
            result.curve.append((result.comments, _mb(memory_kb(pid)["VmRSS"])))
            next_mark = result.comments + args.every
    result.errors = gen.errors
    result.updates_per_s = updates / seconds if seconds else 0.0


def _slope(curve: list[tuple[int, float]]) -> float | None:
    """MB per 10,000 comments over the second half of the run (least squares)."""
    if not curve:
        return None
    half = [(c, mb) for c, mb in curve if c >= curve[-1][0] / 2]
    if len(half) < 2:
        return None
    mean_c = sum(c for c, _ in half) / len(half)
    mean_mb = sum(mb for _, mb in half) / len(half)
    spread = sum((c - mean_c) ** 2 for c, _ in half)
    if spread == 0:
        return None
    slope = sum((c - mean_c) * (mb - mean_mb) for c, mb in half) / spread
    return slope * 10_000


async def measure(backend: str, url: str, args: argparse.Namespace) -> Memory:
    result = Memory(backend)
    _prepare(url)
    stand_port, port = free_port(), free_port()
    root = f"http://127.0.0.1:{stand_port}"
    logs = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    env = service_env(url, port, root, TELEGRAM_MESSAGES_PER_SECOND="1000", CHAT_BURST="1000")
    engine = create_engine(url)
    factory = UnitOfWorkFactory(session_factory(engine))
    try:
        with running(standin_args(stand_port, StandinOptions()), logs / "standin.log"):
            await wait_http(f"{root}/_standin/stats")
            service = await start_service(env, logs / "service.log")
            try:
                await asyncio.sleep(SETTLE_S)
                result.idle_rss_mb = _mb(memory_kb(service.pid)["VmRSS"])
                webhook = f"http://127.0.0.1:{port}/telegram/webhook"
                await _load(service.pid, webhook, factory, args, result)
                await asyncio.sleep(SETTLE_S)  # replies drain, nothing is in flight
                figures = memory_kb(service.pid)
                result.loaded_rss_mb = _mb(figures["VmRSS"])
                result.peak_rss_mb = _mb(figures["VmHWM"])
            finally:
                service.stop()
    finally:
        await engine.dispose()
    result.slope_mb_per_10k = _slope(result.curve)
    return result


def table(results: list[dict[str, Any]]) -> str:
    """The figures beside their budgets, one column per database."""
    def cell(result: dict[str, Any], key: str, fmt: str) -> str:
        value = result.get(key)
        return "—" if value is None else format(value, fmt)

    rows = [
        ("RSS idle, MB", "idle_rss_mb", ".0f", f"< {IDLE_BUDGET_MB}"),
        ("RSS after the comments, MB", "loaded_rss_mb", ".0f", f"< {LOADED_BUDGET_MB}"),
        ("peak RSS (VmHWM), MB", "peak_rss_mb", ".0f", f"< {LOADED_BUDGET_MB}"),
        ("RSS growth per 10,000 comments, 2nd half, MB", "slope_mb_per_10k", ".2f",
         f"< {SLOPE_BUDGET_MB}"),
        ("comments taken", "comments", ",", ""),
        ("updates/s while loading", "updates_per_s", ",.0f", ""),
        ("failed webhook posts", "errors", ",", "0"),
    ]
    width = max(len(row[0]) for row in rows)
    lines = [f"{'':{width}}  " + "  ".join(f"{r['backend']:>10}" for r in results) + "  budget"]
    for name, key, fmt, goal in rows:
        cells = "  ".join(f"{cell(r, key, fmt):>10}" for r in results)
        lines.append(f"{name:{width}}  {cells}  {goal}")
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    results: list[Memory] = []
    folder = Path(tempfile.mkdtemp(prefix="bench-memory-db-"))
    for backend in args.db:
        if backend == "postgres":
            reset_postgres(args.postgres_url)
            url = str(args.postgres_url)
        else:
            url = f"sqlite+aiosqlite:///{folder / 'memory.db'}"
        print(f"memory: {backend}, {args.comments:,} comments ...", flush=True)
        results.append(await measure(backend, url, args))
        for comments, mb in results[-1].curve:
            print(f"  {comments:>9,} comments  {mb:6.0f} MB", flush=True)
    report = [asdict(result) for result in results]
    print(f"\nmemory of consultbot run, idle and after {args.comments:,} comments")
    print(table(report))
    OUT.mkdir(exist_ok=True)
    (OUT / "memory.json").write_text(json.dumps(report, indent=2))


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"],
                        default=["sqlite", "postgres"])
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--every", type=int, default=10_000)
    parser.add_argument("--postgres-url", default=POSTGRES,
                        help="its database is dropped and created again")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
