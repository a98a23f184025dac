"""Ingest benchmark: citizens' comments through the full Telegram webhook path.

HTTP POST of real Update JSON -> PTB -> flow -> commit -> reply handed to the local
Bot API stand-in, by simulated users, against two baselines on the same harness:
(a) a bare PTB echo bot on PTB's default (httpx) request backend and (b) the same
echo bot on our aiohttp backend. Everything (load, stand-in, server) shares this
machine's cores, as in the issue's reference figures.

    python -m bench.ingest [--seconds 10] [--workers 64] [--users 1000] [--skip-postgres]
                           [--rates 40,80] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.loadgen import LoadGenerator, percentile, reply_latencies
from bench.procs import free_port, process, wait_http
from bench.service import cpu_seconds

TOKEN = "123456:BENCH"
SECRET = "bench-secret"
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/cb_bench"
OUT = Path(__file__).parent / "out"


@dataclass
class Result:
    target: str
    peak_updates_per_s: float
    replies_per_s: float
    rate_for_latency: float
    p50_ack_ms: float
    p99_ack_ms: float
    p50_reply_ms: float
    p99_reply_ms: float
    errors: int
    server_cpu_ms_per_update: float = 0.0  # at the peak: the figure least moved by other load
    # --rates: (rate, p99 to the 200, p99 to the reply) at each rate asked for
    latency_at: list[tuple[float, float, float]] = field(default_factory=list)


async def _stand_in_calls(root: str) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(f"{root}/_standin/calls") as r:
        data = await r.json()
    return [s for s in data["sent"] if s["method"] in ("sendMessage", "editMessageText")]


async def _reset(root: str) -> None:
    async with aiohttp.ClientSession() as session, session.post(f"{root}/_standin/reset") as r:
        await r.read()


async def measure(
    name: str, webhook: str, root: str, args: argparse.Namespace, server: int
) -> Result:
    echo = name.startswith("echo")
    gen = LoadGenerator(webhook, SECRET, args.users, echo=echo, first_chat=10_000)
    async with aiohttp.ClientSession() as session:
        await gen.setup(session)
    await _reset(root)
    started = time.time()
    spy = _profile(server, name, args)
    cpu = cpu_seconds(server)
    peak = await gen.closed_loop(args.workers, args.seconds)
    cpu_per_update = 1000 * (cpu_seconds(server) - cpu) / max(1, len(gen.samples))
    if spy is not None:
        spy.wait()
    await asyncio.sleep(2)  # let queued replies drain before counting
    sent = [s for s in await _stand_in_calls(root) if s["time"] >= started]
    replies = len(sent) / (max(s["time"] for s in sent) - started) if sent else 0.0
    rate = peak / 2
    # The lower rates first: a run near saturation leaves work behind that would blur them.
    latency_at = [] if echo else [
        (extra, *(await _latency(gen, root, extra, args.seconds))[1::2])
        for extra in sorted(args.rates)
    ]
    p50_ack, p99_ack, p50_reply, p99_reply = await _latency(gen, root, rate, args.seconds)
    return Result(
        name, peak, replies, rate, p50_ack, p99_ack, p50_reply, p99_reply, gen.errors,
        cpu_per_update, latency_at,
    )


async def _latency(
    gen: LoadGenerator, root: str, rate: float, seconds: float
) -> tuple[float, float, float, float]:
    """p50 and p99 to the 200, then to the reply, in ms, at a fixed rate (open loop)."""
    gen.samples.clear()
    await _reset(root)
    await gen.open_loop(rate, seconds)
    await asyncio.sleep(2)
    latencies = reply_latencies(
        gen.samples, await _stand_in_calls(root), key=lambda call: int(call["chat_id"])
    )
    acks = [s.answered - s.posted for s in gen.samples]
    return (1000 * percentile(acks, 0.5), 1000 * percentile(acks, 0.99),
            1000 * percentile(latencies, 0.5), 1000 * percentile(latencies, 0.99))


def _profile(pid: int, name: str, args: argparse.Namespace) -> subprocess.Popen[bytes] | None:
    """py-spy on the server during the closed loop, into --profile/<name>.txt."""
    if args.profile is None or name.startswith("echo"):
        return None
    args.profile.mkdir(parents=True, exist_ok=True)
    spy = str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen(
        [spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "200", "--nonblocking",
         "--duration", str(int(args.seconds)), "-o", str(args.profile / f"{name}.txt")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _prepare_database(url: str) -> None:
    """An empty, migrated database with an open round citizens can comment on."""
    draft = Path(__file__).parents[1] / "consultations" / "samples" / "du_thao_mau.md"
    env = {"DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    run = [sys.executable, "-m", "bot"]
    import os

    for args in (
        ["agency", "add", "BENCH", "Sở Thử tải"],
        ["round", "import", str(draft), "--agency", "BENCH", "--title", "Dự thảo đo tải", "--open"],
    ):
        subprocess.run([*run, *args], env={**os.environ, **env}, check=True, capture_output=True)


def _reset_postgres() -> None:
    for sql in ("DROP DATABASE IF EXISTS cb_bench", "CREATE DATABASE cb_bench"):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc", sql],
            check=True,
            capture_output=True,
        )


async def run_target(name: str, args: argparse.Namespace, db_url: str | None) -> Result:
    stand_port, port = free_port(), free_port()
    root = f"http://127.0.0.1:{stand_port}"
    with process(
        ["-m", "bot.telegram.standin", "--port", str(stand_port), "--token", TOKEN, "--no-limits"]
    ):
        await wait_http(f"{root}/_standin/stats")
        if db_url is None:
            backend = name.split("-")[-1]
            server = [
                "-m",
                "bench.echo_bot",
                "--token",
                TOKEN,
                "--api",
                root,
                "--backend",
                backend,
                "--port",
                str(port),
            ]
            env: dict[str, str] = {}
        else:
            server = ["-m", "bot", "run"]
            env = {
                "DATABASE_URL": db_url,
                "HTTP_PORT": str(port),
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": root,
                "TELEGRAM_WEBHOOK_SECRET": SECRET,
                "PUBLIC_URL": f"http://127.0.0.1:{port}",
                "LOG_LEVEL": "WARNING",
                "TELEGRAM_MESSAGES_PER_SECOND": "1000",
                "SCHEDULER_ENABLED": "false",
                "CHAT_BURST": "1000",
            }
        with process(server, env) as child:
            webhook = f"http://127.0.0.1:{port}/telegram/webhook"
            await wait_http(webhook)
            return await measure(name, webhook, root, args, child.pid)


def _print(results: list[Result]) -> None:
    base_a = next(r for r in results if r.target == "echo-httpx").peak_updates_per_s
    base_b = next(r for r in results if r.target == "echo-aiohttp").peak_updates_per_s
    print(
        f"\n{'target':22} {'updates/s':>10} {'replies/s':>10} {'vs (a)':>7} {'vs (b)':>7} "
        f"{'@rate':>6} {'p50 ack':>8} {'p99 ack':>8} {'p50 reply':>10} {'p99 reply':>10} "
        f"{'CPU/update':>10}"
    )
    for r in results:
        print(
            f"{r.target:22} {r.peak_updates_per_s:10.0f} {r.replies_per_s:10.0f} "
            f"{r.peak_updates_per_s / base_a:6.2f}x {r.peak_updates_per_s / base_b:6.0%} "
            f"{r.rate_for_latency:6.0f} {r.p50_ack_ms:6.1f}ms {r.p99_ack_ms:6.1f}ms "
            f"{r.p50_reply_ms:8.1f}ms {r.p99_reply_ms:8.1f}ms {r.server_cpu_ms_per_update:8.2f}ms"
        )
    print("targets: consultbot >= 3x (a) and >= 70% of (b); p99 < 150 ms at half its peak rate")
    for r in results:
        for rate, p99_ack, p99_reply in r.latency_at:
            print(f"{r.target:22} at {rate:5.0f}/s: p99 ack {p99_ack:6.1f}ms, "
                  f"p99 reply {p99_reply:6.1f}ms")


async def main(args: argparse.Namespace) -> None:
    results = [
        await run_target("echo-httpx", args, None),
        await run_target("echo-aiohttp", args, None),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = f"sqlite+aiosqlite:///{tmp}/bench.db"
        _prepare_database(sqlite)
        results.append(await run_target("consultbot-sqlite", args, sqlite))
    if not args.skip_postgres:
        _reset_postgres()
        _prepare_database(POSTGRES)
        results.append(await run_target("consultbot-postgres", args, POSTGRES))
    _print(results)
    OUT.mkdir(exist_ok=True)
    (OUT / "ingest.json").write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--rates", type=lambda text: [float(r) for r in text.split(",")],
                        default=[], help="also p99 latency at these rates, e.g. 40,80")
    parser.add_argument("--profile", type=Path, help="py-spy on consultbot, into this folder")
    asyncio.run(main(parser.parse_args()))
