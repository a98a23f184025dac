"""`consultbot console ...`: console passwords and lock-outs, for operators."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from bot.cli import Command, _with_uow
from bot.settings import Settings
from consultations.console import accounts
from storage.uow import UnitOfWork

PASSWORD_ENV = "CONSULTBOT_STAFF_PASSWORD"


def register(sub: Any) -> dict[tuple[str, ...], Command]:
    console = sub.add_parser("console", help="admin console accounts").add_subparsers(
        dest="console", required=True
    )
    password = console.add_parser(
        "password", help=f"set a staff member's console password (prompt or {PASSWORD_ENV})"
    )
    password.add_argument("login")
    unlock = console.add_parser("unlock", help="lift a login's lock-out after failed attempts")
    unlock.add_argument("login")
    return {("console", "password"): _password, ("console", "unlock"): _unlock}


async def _password(args: argparse.Namespace, settings: Settings) -> int:
    secret = os.environ.get(PASSWORD_ENV) or getpass.getpass("Password: ")

    async def work(uow: UnitOfWork) -> str:
        staff_id = await accounts.set_password(uow, args.login, secret, actor="cli")
        return f"Password set for {args.login} (id {staff_id}); they can log in at /admin/."

    return await _with_uow(settings, work)


async def _unlock(args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> str:
        forgotten = await accounts.unlock(uow, args.login, actor="cli")
        return f"{args.login.strip().lower()} unlocked ({forgotten} failed attempts forgotten)."

    return await _with_uow(settings, work)
