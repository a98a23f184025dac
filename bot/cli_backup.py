"""`consultbot backup` and `consultbot restore`: a verified copy of the database, and back.

SQLite is copied with its online backup API (safe while the service runs);
PostgreSQL with pg_dump/pg_restore when they are installed, else the exact
commands are printed. The file logic is in storage.backup and storage.pg_backup.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli import Command
from bot.settings import Settings
from storage import backup, pg_backup
from storage.backup import BackupError
from storage.engine import create_engine, is_sqlite
from storage.revisions import SchemaState, schema_state


def register(subparsers: Any) -> dict[tuple[str, ...], Command]:
    made = subparsers.add_parser(
        "backup", help="copy the database to a verified backup file (safe while running)"
    )
    made.add_argument(
        "--output", type=Path,
        help="file or existing folder (default: consultbot-<UTC time>.db|.dump in .)",
    )
    restore = subparsers.add_parser(
        "restore", help="replace the database with a backup (stop the service first)"
    )
    restore.add_argument("file", type=Path, help="a file written by `consultbot backup`")
    restore.add_argument("--force", action="store_true", help="replace an existing database")
    return {("backup",): _backup, ("restore",): _restore}


def _target(output: Path | None, suffix: str) -> Path:
    name = backup.backup_name(datetime.now(UTC), suffix)
    if output is None:
        return Path(name)
    return output / name if output.is_dir() else output


def _describe(schema: SchemaState) -> str:
    revision = ", ".join(sorted(schema.current))
    return f"revision {revision}" + ("" if schema.at_head else " (older: upgraded on start)")


async def _backup(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if is_sqlite(settings.database_url):
            source = backup.sqlite_path(settings.database_url)
            target = _target(args.output, ".db")
            done = await asyncio.to_thread(backup.backup_sqlite, source, target)
            print(f"Backup written to {done.path} ({done.size} bytes, integrity ok, "
                  f"{_describe(done.schema)}).")
            return 0
        return _pg_backup(settings, _target(args.output, ".dump"))
    except BackupError as error:
        print(f"consultbot: backup failed: {error}", file=sys.stderr)
        return 2


def _pg_backup(settings: Settings, target: Path) -> int:
    conn = pg_backup.libpq(settings.database_url)
    if not pg_backup.tools_available():
        _print_guidance(conn, target)
        return 1
    size = pg_backup.dump(conn, target)
    print(f"Backup written to {target} ({size} bytes, pg_dump custom format, archive readable).")
    return 0


def _print_guidance(conn: pg_backup.Libpq, target: Path) -> None:
    print("consultbot: pg_dump and pg_restore are not installed here (Debian: apt-get install "
          "postgresql-client, of the server's major version or newer).", file=sys.stderr)
    print("Back up with (PGPASSWORD in the environment):\n  "
          + pg_backup.printable(pg_backup.dump_command(conn, target)))
    print("Restore with (service stopped):\n  "
          + pg_backup.printable(pg_backup.restore_command(conn, target)))


async def _restore(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if is_sqlite(settings.database_url):
            target = backup.sqlite_path(settings.database_url)
            done = await asyncio.to_thread(
                backup.restore_sqlite, args.file, target, force=args.force
            )
            print(f"Restored {done.path} from {args.file} ({_describe(done.schema)}).")
            return 0
        return await _pg_restore(settings, args.file, args.force)
    except BackupError as error:
        print(f"consultbot: restore refused: {error}", file=sys.stderr)
        return 2


async def _pg_restore(settings: Settings, file: Path, force: bool) -> int:
    conn = pg_backup.libpq(settings.database_url)
    if not pg_backup.tools_available():
        _print_guidance(conn, file)
        return 1
    engine = create_engine(settings.database_url)
    try:
        others = await pg_backup.other_sessions(engine)
        if others:
            raise BackupError(f"{others} other sessions use the database; stop the service first")
        if (await schema_state(engine)).current and not force:
            raise BackupError("the database holds consultbot data; add --force to replace it")
        await engine.dispose()
        await asyncio.to_thread(pg_backup.restore, conn, file)
        schema = await schema_state(engine)
    finally:
        await engine.dispose()
    if not schema.recognised:
        raise BackupError(f"restored schema {sorted(schema.current)} is not one this code ships")
    print(f"Restored the database from {file} ({_describe(schema)}).")
    return 0
