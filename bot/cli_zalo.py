"""`consultbot zalo ...`: the OA's stored token pair and its waiting messages, for operators.

No command prints a token: `status` shows versions and times only.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli import Command, _with_uow
from bot.settings import Settings
from bot.zalo.bridge import configured_pair, token_name
from bot.zalo.events import CHANNEL
from consultations import channel_tokens, delivery, events
from storage.uow import UnitOfWork


def register(subparsers: Any) -> dict[tuple[str, ...], Command]:
    zalo = subparsers.add_parser("zalo", help="Zalo Official Account").add_subparsers(
        dest="zalo", required=True
    )
    zalo.add_parser(
        "status", help="token expiry, messages waiting for their user, events not yet handled"
    )
    zalo.add_parser(
        "reseed",
        help="replace the stored token pair with ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN "
        "(after authorising the app again)",
    )
    return {("zalo", "status"): _status, ("zalo", "reseed"): _reseed}


def _oa_id(settings: Settings) -> str | None:
    if not settings.zalo_oa_id:
        print("consultbot: ZALO_OA_ID is not set", file=sys.stderr)
    return settings.zalo_oa_id


async def _status(_: argparse.Namespace, settings: Settings) -> int:
    oa_id = _oa_id(settings)
    if oa_id is None:
        return 2

    async def work(uow: UnitOfWork) -> str:
        pair = await channel_tokens.current(uow, token_name(oa_id))
        if pair is None:
            tokens = "no token pair stored yet (the service stores the configured one at start)"
        else:
            left = pair.access_expires_at - uow.now()
            hours = max(0, int(left.total_seconds() // 3600))
            tokens = (f"token pair version {pair.version}, access token valid until "
                      f"{pair.access_expires_at:%Y-%m-%d %H:%M} UTC ({hours} h left)")
        waiting = await delivery.count_waiting(uow, CHANNEL)
        pending = len(await events.unprocessed(uow, CHANNEL, limit=10_000))
        return (f"Zalo OA {oa_id}: {tokens}\n"
                f"Messages waiting for their user to write again: {waiting}\n"
                f"Events recorded but not yet handled: {pending}")

    return await _with_uow(settings, work)


async def _reseed(_: argparse.Namespace, settings: Settings) -> int:
    oa_id = _oa_id(settings)
    pair = configured_pair(settings)
    if oa_id is None:
        return 2
    if pair is None:
        print("consultbot: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN", file=sys.stderr)
        return 2

    async def work(uow: UnitOfWork) -> str:
        stored = await channel_tokens.store(uow, token_name(oa_id), pair)
        return (f"Token pair replaced (version {stored.version}); the service refreshes it "
                "within minutes and uses only the stored pair from then on.")

    return await _with_uow(settings, work)
