"""Run the stand-in standalone: ``python -m bot.telegram.standin --port 8081 --token TOKEN``.

Useful for trying the bot without Telegram and for load tests driven from another process
(inject updates with ``POST /_standin/updates``, read ``GET /_standin/stats`` afterwards).
"""

from __future__ import annotations

import argparse
import asyncio

from bot.signals import until_stopped

from .faults import StandinFaults
from .limits import StandinLimits
from .server import BotApiStandin


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; faults can be changed later via ``POST /_standin/faults``."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.telegram.standin", description="Local Telegram Bot API stand-in"
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default="123456:STANDIN", help="the only accepted token")
    parser.add_argument("--no-limits", action="store_true", help="disable flood limits")
    parser.add_argument(
        "--per-second", type=int, default=StandinLimits().global_per_window,
        help="messages per second overall (Telegram: 30)",
    )
    parser.add_argument(
        "--paid-per-second", type=int, default=StandinLimits().paid_per_window,
        help="messages per second overall with allow_paid_broadcast (Telegram: 1000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="fault RNG seed")
    parser.add_argument("--server-errors", type=float, default=0.0, help="probability of 500")
    parser.add_argument("--bad-gateway", type=float, default=0.0, help="probability of 502")
    parser.add_argument("--timeouts", type=float, default=0.0, help="probability of time-out")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    """Start, print the URLs, and run until SIGINT/SIGTERM."""
    faults = StandinFaults(
        seed=args.seed,
        server_error=args.server_errors,
        bad_gateway=args.bad_gateway,
        timeout=args.timeouts,
    )
    limits = StandinLimits(
        enabled=not args.no_limits,
        global_per_window=args.per_second,
        paid_per_window=args.paid_per_second,
    )
    standin = BotApiStandin(args.token, limits=limits, faults=faults)
    base_url = await standin.start(args.host, args.port)
    print(f"Bot API stand-in: base_url={base_url} token={args.token}", flush=True)
    endpoints = "{calls,sent,stats,reset,updates,faults,limits}"
    print(f"control: {standin.root_url}/_standin/{endpoints}", flush=True)
    try:
        await until_stopped()
    finally:
        await standin.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m bot.telegram.standin``."""
    asyncio.run(_serve(_parse_args(argv)))


if __name__ == "__main__":
    main()
