"""Run the stand-in standalone: ``python -m bot.zalo.standin --port 8082``.

It prints the settings that point consultbot at it (including a first token pair), then
serves until SIGINT/SIGTERM. Deliver a signed message to the bot with::

    curl -X POST http://127.0.0.1:8082/_standin/deliver -H 'Content-Type: application/json' \\
      -d '{"url": "http://127.0.0.1:8080/zalo/webhook", "user": "1001", "text": "xin chào"}'

and read what the bot answered at ``GET /_standin/sent``.
"""

from __future__ import annotations

import argparse
import asyncio

from bot.signals import until_stopped

from .server import ZaloStandin


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.zalo.standin", description="Local Zalo OA Open API stand-in"
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=8082, help="0 picks a free port")
    parser.add_argument("--variant", default="documented", help="webhook signature variant")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    standin = ZaloStandin(signature_variant=args.variant)
    root = await standin.start(args.host, args.port)
    settings = {
        "ZALO_OA_ID": standin.oa_id,
        "ZALO_APP_ID": standin.app_id,
        "ZALO_APP_SECRET": standin.app_secret,
        "ZALO_OA_SECRET_KEY": standin.oa_secret_key,
        "ZALO_ACCESS_TOKEN": standin.initial.access_token,
        "ZALO_REFRESH_TOKEN": standin.initial.refresh_token,
        "ZALO_API_BASE_URL": root,
        "ZALO_OAUTH_BASE_URL": root,
    }
    print(f"Zalo OA stand-in on {root}; run consultbot with:", flush=True)
    print(" ".join(f"{name}={value}" for name, value in settings.items()), flush=True)
    try:
        await until_stopped()
    finally:
        await standin.stop()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(_serve(_parse_args(argv)))


if __name__ == "__main__":
    main()
