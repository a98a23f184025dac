"""PostgreSQL backup and restore through pg_dump and pg_restore.

pg_dump takes a consistent snapshot of a running database on its own, so the
service need not stop. The password travels in PGPASSWORD, never on the command
line (where `ps` shows it) and never in what is printed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.backup import BackupError

# asyncpg's `ssl=` query option, in libpq's terms.
_SSL_MODES = {"true": "require", "false": "disable"}


@dataclass(frozen=True)
class Libpq:
    """A libpq connection URI without its password, and the password apart."""

    uri: str
    password: str | None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env


def libpq(url: str) -> Libpq:
    """`postgresql+asyncpg://u:p@h/db?ssl=require` -> `postgresql://u@h/db?sslmode=require`."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise BackupError("DATABASE_URL is not a PostgreSQL URL")
    query: dict[str, str] = {}
    ssl = parsed.query.get("sslmode") or parsed.query.get("ssl")
    if isinstance(ssl, str):
        query["sslmode"] = _SSL_MODES.get(ssl.lower(), ssl)
    plain = URL.create(
        "postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
        database=parsed.database, query=query,
    )
    return Libpq(plain.render_as_string(hide_password=False), parsed.password)


def tools_available() -> bool:
    return shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None


def dump_command(conn: Libpq, target: Path) -> list[str]:
    """Custom format: compressed, and pg_restore can pick or reorder what it restores."""
    return ["pg_dump", "--format=custom", f"--file={target}", f"--dbname={conn.uri}"]


def restore_command(conn: Libpq, backup: Path) -> list[str]:
    """One transaction: a restore that fails half-way leaves the database as it was."""
    return [
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
        f"--dbname={conn.uri}", str(backup),
    ]


def printable(command: list[str]) -> str:
    """A command to paste into a shell; the password is left to PGPASSWORD."""
    return shlex.join(command)


def dump(conn: Libpq, target: Path) -> int:
    """Run pg_dump to a new file, then check the archive reads back; returns its size."""
    if target.exists():
        raise BackupError(f"{target} exists; choose another --output")
    partial = target.with_name(target.name + ".partial")
    try:
        _run(dump_command(conn, partial), conn)
        _run(["pg_restore", "--list", str(partial)], conn)  # a readable archive
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def restore(conn: Libpq, backup: Path) -> None:
    if not backup.is_file():
        raise BackupError(f"no backup file at {backup}")
    _run(restore_command(conn, backup), conn)


async def other_sessions(engine: AsyncEngine) -> int:
    """Other connections to this database: a running service would fight a restore."""
    async with engine.connect() as conn:
        found = await conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ))
    return int(found or 0)


def _run(command: list[str], conn: Libpq) -> None:
    done = subprocess.run(command, env=conn.env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        # pg_dump's own messages name the database and the problem, not the password.
        detail = done.stderr.strip().splitlines()[-3:]
        raise BackupError(f"{command[0]} failed ({done.returncode}): {' '.join(detail)}")
