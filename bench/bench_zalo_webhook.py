"""Zalo OA webhook benchmark: how fast signed events are answered, and handled after.

    python -m bench.bench_zalo_webhook [--events 600] [--users 120] [--concurrency 20] [--url URL]

Zalo wants a 200 within 2 seconds. The stand-in delivers signed ``user_send_text``
events to a running consultbot (SQLite in a temporary file unless --url names a
PostgreSQL database, which it wipes) from many users at once; the answer time of every
call is measured, then the time until every event is handled.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bot import demo
from bot.app import Runtime
from bot.settings import Settings
from bot.zalo.bridge import ZaloOABridge
from bot.zalo.standin import ZaloStandin
from storage.engine import create_engine

TARGET_SECONDS = 2.0


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings(url: str, zalo: ZaloStandin) -> Settings:
    values = {
        "database_url": url,
        "http_port": _port(),
        "admin_secret_key": "b" * 40,
        "zalo_oa_id": zalo.oa_id,
        "zalo_app_id": zalo.app_id,
        "zalo_app_secret": zalo.app_secret,
        "zalo_oa_secret_key": zalo.oa_secret_key,
        "zalo_access_token": zalo.initial.access_token,
        "zalo_refresh_token": zalo.initial.refresh_token,
        "zalo_api_base_url": zalo.root_url,
        "zalo_oauth_base_url": zalo.root_url,
        "chat_burst": 1000,
    }
    return Settings(**values, _env_file=None)  # type: ignore[arg-type, call-arg]


async def _deliver_all(zalo: ZaloStandin, events: int, users: int, width: int) -> list[float]:
    """Deliver the events `width` at a time; returns each call's answer time in seconds."""
    latencies: list[float] = []
    slots = asyncio.Semaphore(width)
    words = ["xin chào", "xem du thao", "menu", "dieu 2", "tro giup"]

    async def one(n: int) -> None:
        event = zalo.events.text(f"9{n % users:06d}", words[(n // users) % len(words)])
        async with slots:
            started = time.perf_counter()
            status = await zalo.deliver(event)
            latencies.append(time.perf_counter() - started)
        assert status == 200, f"the webhook answered {status}"

    await asyncio.gather(*(one(n) for n in range(events)))
    return latencies


async def _wipe(url: str) -> None:
    """A PostgreSQL database starts empty: its public schema is dropped and made again."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        if args.url:
            await _wipe(url)
        async with ZaloStandin() as zalo:
            runtime = Runtime(_settings(url, zalo))
            ctx = await runtime.start()
            async with ctx.uow() as uow:
                await demo.seed(uow)
                await uow.commit()
            zalo.webhook_url = f"{runtime.url}/zalo/webhook"
            bridge = next(b for b in runtime.bridges if isinstance(b, ZaloOABridge))
            try:
                await _measure(zalo, bridge, args)
            finally:
                await runtime.stop()


async def _measure(zalo: ZaloStandin, bridge: ZaloOABridge, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    latencies = await _deliver_all(zalo, args.events, args.users, args.concurrency)
    answered = time.perf_counter() - started
    for _ in range(12_000):  # ten minutes at most
        if bridge.inbox.handled >= args.events:
            break
        await asyncio.sleep(0.05)
    handled = time.perf_counter() - started
    replies = len(zalo.sent)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{args.events} signed events from {args.users} users, {args.concurrency} at a time")
    print(
        f"webhook answer: p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, "
        f"p99 {cuts[98] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"(Zalo's limit {TARGET_SECONDS * 1000:.0f} ms)"
    )
    print(
        f"all answered after {answered:.2f} s ({args.events / answered:.0f} events/s); "
        f"all handled after {handled:.2f} s; replies at the stand-in so far: {replies}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--users", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--url",
        default="",
        help="a PostgreSQL database the bench may wipe (default: a temporary SQLite file)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
