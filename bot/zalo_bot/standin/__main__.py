"""Run the stand-in standalone: ``python -m bot.zalo_bot.standin --port 8082 --token TOKEN``.

For trying the bot without a Zalo account (``ZALO_BOT_TOKEN=TOKEN
ZALO_BOT_API_BASE_URL=http://127.0.0.1:8082 consultbot run``) and for load tests driven from
another process (inject updates with ``POST /_standin/updates``, read ``GET /_standin/stats``).
"""

from __future__ import annotations

import argparse
import asyncio

from bot.signals import until_stopped

from .faults import StandinFaults
from .limits import StandinLimits
from .server import ZaloBotStandin


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.zalo_bot.standin", description="Local Zalo Bot Platform API stand-in"
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=8082, help="0 picks a free port")
    parser.add_argument("--token", default="1234567890:STANDIN", help="the only accepted token")
    parser.add_argument("--no-limits", action="store_true", help="disable flood limits")
    parser.add_argument("--seed", type=int, default=0, help="fault RNG seed")
    parser.add_argument("--server-errors", type=float, default=0.0, help="probability of 500")
    parser.add_argument("--bad-gateway", type=float, default=0.0, help="probability of 502")
    parser.add_argument("--timeouts", type=float, default=0.0, help="probability of time-out")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    """Start, print the URL, and run until SIGINT/SIGTERM."""
    faults = StandinFaults(seed=args.seed, server_error=args.server_errors,
                           bad_gateway=args.bad_gateway, timeout=args.timeouts)
    standin = ZaloBotStandin(
        args.token, limits=StandinLimits(enabled=not args.no_limits), faults=faults
    )
    root = await standin.start(args.host, args.port)
    print(f"Zalo Bot API stand-in: ZALO_BOT_API_BASE_URL={root} token={args.token}", flush=True)
    print(f"control: {root}/_standin/{{calls,stats,reset,updates,faults}}", flush=True)
    try:
        await until_stopped()
    finally:
        await standin.stop()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(_serve(_parse_args(argv)))


if __name__ == "__main__":
    main()
