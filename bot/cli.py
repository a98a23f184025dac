"""The `consultbot` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from bot import demo
from bot.app import Runtime, build_context
from bot.context import AppContext
from bot.settings import DEFAULT_DATABASE_URL, Settings
from consultations import agencies, rounds, sections, staff
from consultations.errors import DomainError
from handlers.texts import t
from storage.uow import UnitOfWork

DEMO_DATABASE_URL = "sqlite+aiosqlite:///./consultbot-demo.db"
Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="consultbot",
        description=(
            "Public-consultation chatbot: web chat, Telegram and Zalo over one consultation core."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="serve everything the settings enable")
    sub.add_parser("demo", help="serve a sample consultation on http://127.0.0.1:8080")
    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="apply the migrations")
    admin = sub.add_parser("admin", help="console accounts").add_subparsers(
        dest="admin", required=True
    )
    create = admin.add_parser(
        "create", help="create an admin (password from a prompt or CONSULTBOT_ADMIN_PASSWORD)"
    )
    create.add_argument("login")
    create.add_argument("--name", default="")
    agency = sub.add_parser("agency", help="agencies").add_subparsers(dest="agency", required=True)
    add = agency.add_parser("add", help="add an agency")
    add.add_argument("code", help="short code, e.g. SO-TTTT")
    add.add_argument("name", help="full name in Vietnamese")
    add.add_argument("--name-en")
    round_ = sub.add_parser("round", help="consultation rounds").add_subparsers(
        dest="round", required=True
    )
    imp = round_.add_parser("import", help="create a round from a text or Markdown draft")
    imp.add_argument("file", type=Path)
    imp.add_argument("--agency", required=True, help="agency code")
    imp.add_argument("--title", required=True)
    imp.add_argument("--summary", default="")
    imp.add_argument("--type", default="business", help="document type (business, legal, policy)")
    imp.add_argument("--open", action="store_true", help="open the round at once")
    return parser


async def _with_uow(settings: Settings, work: Callable[[UnitOfWork], Awaitable[str]]) -> int:
    ctx = await build_context(settings)
    try:
        async with ctx.uow() as uow:
            message = await work(uow)
            await uow.commit()
        print(message)
        return 0
    except DomainError as error:
        print(
            t("en", f"error.{error.key}", **error.params) if error.key else error,
            error.key,
            error.params or "",
            file=sys.stderr,
        )
        return 2
    finally:
        await ctx.engine.dispose()


async def _run(_: argparse.Namespace, settings: Settings) -> int:
    await Runtime(settings).serve_forever()
    return 0


async def _demo(_: argparse.Namespace, settings: Settings) -> int:
    if "DATABASE_URL" not in os.environ and settings.database_url == DEFAULT_DATABASE_URL:
        settings = settings.model_copy(update={"database_url": DEMO_DATABASE_URL})

    async def seed(ctx: AppContext) -> None:
        async with ctx.uow() as uow:
            await demo.seed(uow)
            await uow.commit()

    await Runtime(settings).serve_forever(
        "Demo ready: open %s/ in a browser to read the sample draft and comment (Ctrl+C stops)",
        on_start=seed,
    )
    return 0


async def _db_upgrade(_: argparse.Namespace, settings: Settings) -> int:
    return await _with_uow(settings, lambda uow: _done("Database is up to date."))


async def _done(message: str) -> str:
    return message


async def _admin_create(args: argparse.Namespace, settings: Settings) -> int:
    password = os.environ.get("CONSULTBOT_ADMIN_PASSWORD") or getpass.getpass("Password: ")

    async def work(uow: UnitOfWork) -> str:
        staff_id = await staff.create_staff(
            uow,
            login=args.login,
            display_name=args.name,
            role="admin",
            password=password,
            agency_id=None,
            actor="cli",
        )
        return f"Admin {args.login} created (id {staff_id})."

    return await _with_uow(settings, work)


async def _agency_add(args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> str:
        made = await agencies.add_agency(
            uow, args.code, args.name, name_en=args.name_en, actor="cli"
        )
        return f"Agency {made.code} created (id {made.id})."

    return await _with_uow(settings, work)


async def _round_import(args: argparse.Namespace, settings: Settings) -> int:
    text = args.file.read_text(encoding="utf-8-sig")

    async def work(uow: UnitOfWork) -> str:
        agency = await agencies.find_agency_by_code(uow, args.agency)
        if agency is None:
            raise DomainError("agency.not_found")
        made = await rounds.create_round(
            uow,
            agency_id=agency.id,
            title=args.title,
            summary=args.summary,
            document_type=args.type,
            actor="cli",
        )
        count = await sections.import_draft(uow, made.id, text, actor="cli")
        if args.open:
            await rounds.open_now(uow, made.id, actor="cli")
        return f"Round {made.id} created with {count} articles" + (
            " and opened." if args.open else " (draft)."
        )

    return await _with_uow(settings, work)


COMMANDS: dict[tuple[str, ...], Command] = {
    ("run",): _run,
    ("demo",): _demo,
    ("db", "upgrade"): _db_upgrade,
    ("admin", "create"): _admin_create,
    ("agency", "add"): _agency_add,
    ("round", "import"): _round_import,
}


def _key(args: argparse.Namespace) -> tuple[str, ...]:
    sub = {
        "db": args.__dict__.get("db"),
        "admin": args.__dict__.get("admin"),
        "agency": args.__dict__.get("agency"),
        "round": args.__dict__.get("round"),
    }
    second = sub.get(args.command)
    return (args.command, second) if second else (args.command,)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return asyncio.run(COMMANDS[_key(args)](args, settings))
    except KeyboardInterrupt:
        return 130
