"""The `consultbot` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import importlib
import os
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from bot import demo, logs
from bot.app import Runtime, build_context
from bot.context import AppContext
from bot.settings import DEFAULT_DATABASE_URL, Settings
from consultations import agencies, delivery, rounds, sections, staff, staff_links
from consultations.errors import DomainError
from handlers.texts import has, t
from storage.uow import UnitOfWork

DEMO_DATABASE_URL = "sqlite+aiosqlite:///./consultbot-demo.db"
# Modules that add command groups: each has `register(subparsers) -> dict[key, Command]`.
EXTENSIONS: list[str] = [
    "bot.cli_zalo",
    "bot.cli_console",
    "bot.cli_report",
    "bot.cli_digest",
    "bot.cli_backup",
]
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
    _staff_parsers(sub)
    for name in EXTENSIONS:
        COMMANDS.update(importlib.import_module(name).register(sub))
    outbox_ = sub.add_parser("outbox", help="messages waiting or failed").add_subparsers(
        dest="outbox", required=True
    )
    outbox_.add_parser("dead", help="list messages that could not be delivered")
    retry = outbox_.add_parser("retry", help="queue a dead message again")
    retry.add_argument("id", type=int)
    return parser


def _staff_parsers(sub: Any) -> None:
    staff_ = sub.add_parser("staff", help="agency staff").add_subparsers(
        dest="staff", required=True
    )
    add = staff_.add_parser("add", help="add a staff member of an agency")
    add.add_argument("login")
    add.add_argument("--agency", required=True, help="agency code")
    add.add_argument("--name", default="")
    add.add_argument("--role", default="agency_staff", choices=["agency_staff", "moderator"])
    link = staff_.add_parser("link", help="one-time code linking a chat account or group")
    who = link.add_mutually_exclusive_group(required=True)
    who.add_argument("--login", help="staff member: they send /link CODE to the bot")
    who.add_argument("--agency", help="agency code: send /link CODE in the agency's group")


async def _with_uow(settings: Settings, work: Callable[[UnitOfWork], Awaitable[str]]) -> int:
    ctx = await build_context(settings)
    try:
        async with ctx.uow() as uow:
            message = await work(uow)
            await uow.commit()
        print(message)
        return 0
    except DomainError as error:
        key = f"error.{error.key}"
        reason = t("en", key, **error.params) if has(key) else f"{error.key} {error.params or ''}"
        print(f"consultbot: {reason}", file=sys.stderr)
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
            made = await demo.seed_with_console(uow)
            await uow.commit()
        print(f"Console login: {made.admin_login} / {made.admin_password}", flush=True)

    await Runtime(settings).serve_forever(
        "Demo ready: open %s/ in a browser to read the sample draft and comment; "
        "the console is at /admin (Ctrl+C stops)",
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


async def _staff_add(args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> str:
        agency = await agencies.find_agency_by_code(uow, args.agency)
        if agency is None:
            raise DomainError("agency.not_found")
        staff_id = await staff.create_staff(
            uow,
            login=args.login,
            display_name=args.name,
            role=args.role,
            password=None,
            agency_id=agency.id,
            actor="cli",
        )
        return f"Staff {args.login} added to {agency.code} (id {staff_id})."

    return await _with_uow(settings, work)


async def _staff_link(args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> str:
        if args.login:
            staff_id = await staff.find_staff_id(uow, args.login)
            if staff_id is None:
                raise DomainError("staff.not_found")
            code = await staff_links.issue_code(uow, staff_id=staff_id, actor="cli")
            return f"Ask {args.login} to send this to the bot within 24 hours: /link {code}"
        agency = await agencies.find_agency_by_code(uow, args.agency)
        if agency is None:
            raise DomainError("agency.not_found")
        code = await staff_links.issue_code(uow, agency_id=agency.id, actor="cli")
        return f"Add the bot to {agency.code}'s group and send there: /link {code}"

    return await _with_uow(settings, work)


async def _outbox_dead(_: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> str:
        rows = await delivery.list_dead(uow, limit=200)
        lines = [
            f"{r.id}\t{r.channel}\t{r.attempts} tries\t{r.created_at:%Y-%m-%d %H:%M}\t"
            f"{r.last_error or ''}"
            for r in rows
        ]
        return "\n".join(lines) or "No undelivered messages."

    return await _with_uow(settings, work)


async def _outbox_retry(args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> str:
        if not await delivery.requeue(uow, args.id):
            raise DomainError("outbox.not_dead")
        return f"Message {args.id} queued again."

    return await _with_uow(settings, work)


COMMANDS: dict[tuple[str, ...], Command] = {
    ("run",): _run,
    ("demo",): _demo,
    ("db", "upgrade"): _db_upgrade,
    ("admin", "create"): _admin_create,
    ("agency", "add"): _agency_add,
    ("round", "import"): _round_import,
    ("staff", "add"): _staff_add,
    ("staff", "link"): _staff_link,
    ("outbox", "dead"): _outbox_dead,
    ("outbox", "retry"): _outbox_retry,
}


def _key(args: argparse.Namespace) -> tuple[str, ...]:
    """('staff', 'link') for `consultbot staff link`: each group stores its verb under its name."""
    second = getattr(args, args.command, None)
    return (args.command, second) if isinstance(second, str) else (args.command,)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    # JSON lines for a collector; the demo is watched by a person in a terminal.
    logs.configure(settings.log_level, settings.log_format or (
        "text" if args.command == "demo" else "json"))
    try:
        return asyncio.run(COMMANDS[_key(args)](args, settings))
    except KeyboardInterrupt:
        return 130
