"""SQLite backup and restore with SQLite's online backup API.

A plain file copy of a database in WAL mode can miss committed pages that still
sit in the -wal file, or catch a page mid-write. The backup API copies a
consistent snapshot instead: done in one step it reads inside one read
transaction, which in WAL mode never blocks the running service's writer. Every
copy is checked (`PRAGMA integrity_check`, and its Alembic revision must be one
this code ships) before it is given its final name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.revisions import SchemaState, state_of

LOCK_PROBE_TIMEOUT_S = 0.0


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why, for an operator."""


@dataclass(frozen=True)
class CopyReport:
    """What was written and what it holds."""

    path: Path
    size: int
    schema: SchemaState


def sqlite_path(url: str) -> Path:
    """The file behind a SQLite URL (`sqlite+aiosqlite:///./consultbot.db`)."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("DATABASE_URL names no SQLite file")
    return Path(database)


def backup_name(now: datetime, suffix: str) -> str:
    """`consultbot-20261127T020000Z.db`: sorts by time, safe on every file system."""
    return f"consultbot-{now:%Y%m%dT%H%M%SZ}{suffix}"


def backup_sqlite(source: Path, target: Path) -> CopyReport:
    """Copy a live database to `target` (new file), verified; safe while the service writes."""
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    if target.exists():
        raise BackupError(f"{target} exists; choose another --output")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _connect(source) as src, _connect(partial) as dst:
            src.backup(dst)  # pages=-1: one step, one consistent snapshot
            schema = _verify(dst)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return CopyReport(target, target.stat().st_size, schema)


def restore_sqlite(backup: Path, target: Path, *, force: bool = False) -> CopyReport:
    """Replace `target`'s content with a verified backup; refused while anything has it open."""
    if not backup.is_file():
        raise BackupError(f"no backup file at {backup}")
    with _connect(backup) as src:
        _verify(src)
        if target.exists() and not force:
            raise BackupError(f"{target} exists; add --force to replace it")
        with _exclusive(target) as dst:
            src.backup(dst)
            schema = _verify(dst)
    return CopyReport(target, target.stat().st_size, schema)


def inspect_sqlite(path: Path) -> SchemaState:
    """Integrity and revision of a database or backup file, without changing it."""
    with _connect(path) as conn:
        return _verify(conn)


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection holding the file's exclusive lock, or BackupError if another has it open.

    In WAL mode every open connection keeps a shared lock, so failing to take the
    exclusive one means a running service (or another tool) uses the database.
    """
    conn = sqlite3.connect(path, isolation_level=None, timeout=LOCK_PROBE_TIMEOUT_S)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        conn.execute("COMMIT")
    except sqlite3.OperationalError as error:
        conn.close()
        raise BackupError(
            f"{path} is in use ({error}); stop the service before restoring"
        ) from error
    try:
        yield conn
    finally:
        conn.close()


def _verify(conn: sqlite3.Connection) -> SchemaState:
    """Integrity first, then a revision this code knows (an older one is upgraded on start)."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"not a readable SQLite database ({error})") from error
    if problems != ["ok"]:
        raise BackupError(f"integrity check failed: {'; '.join(problems[:5])}")
    try:
        revisions = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.OperationalError as error:
        raise BackupError("not a consultbot database (no alembic_version table)") from error
    schema = state_of(revisions)
    if not schema.recognised:
        raise BackupError(
            f"schema revision {sorted(revisions)} is not one this version of consultbot ships"
        )
    return schema
