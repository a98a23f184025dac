"""SQLite backups taken while the service writes, restored and read back with the app's engine."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import agencies, outbox
from storage.backup import BackupError, backup_sqlite, inspect_sqlite, restore_sqlite
from storage.engine import create_engine, session_factory
from storage.models import OutboxMessage
from storage.revisions import shipped_heads
from storage.uow import UnitOfWorkFactory


@pytest.fixture
async def live(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[tuple[Path, AsyncEngine]]:
    """A migrated database file and the app's engine on it, as the running service has it."""
    path = tmp_path / "live.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    yield path, engine
    await engine.dispose()


class PairWriter:
    """Two rows per transaction until stopped, as the service writes: a torn copy splits a pair."""

    def __init__(self, uows: UnitOfWorkFactory) -> None:
        self.uows, self.pairs, self.stopped = uows, 0, False
        self._progress = asyncio.Condition()

    async def run(self) -> None:
        while not self.stopped:
            async with self.uows() as uow:
                for half in ("a", "b"):
                    await outbox.enqueue(uow, channel="telegram", recipient="1",
                                         payload={"n": self.pairs},
                                         dedupe_key=f"pair:{self.pairs}:{half}")
                await uow.commit()
            async with self._progress:
                self.pairs += 1
                self._progress.notify_all()

    async def reach(self, pairs: int) -> None:
        async with self._progress:
            await self._progress.wait_for(lambda: self.pairs >= pairs)


def _keys(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT dedupe_key FROM outbox")}


async def test_backup_of_a_database_being_written_is_a_consistent_snapshot_that_restores(
    live: tuple[Path, AsyncEngine], tmp_path: Path
) -> None:
    path, engine = live
    writer = PairWriter(UnitOfWorkFactory(session_factory(engine)))
    running = asyncio.create_task(writer.run())
    try:
        await writer.reach(50)
        copy = await asyncio.to_thread(backup_sqlite, path, tmp_path / "copy.db")
        await writer.reach(writer.pairs + 50)  # the backup never blocked the writer
    finally:
        writer.stopped = True
        await running
    assert copy.schema.at_head and copy.schema.current == shipped_heads()
    saved = _keys(copy.path)
    pairs = {key.rsplit(":", 1)[0] for key in saved}
    assert len(saved) == 2 * len(pairs), "every transaction is in the copy whole or not at all"
    assert pairs == {f"pair:{n}" for n in range(len(pairs))}, "the copy is a prefix in time"
    assert 50 <= len(pairs) < writer.pairs, "taken mid-stream: later writes are not in it"

    restored = tmp_path / "restored.db"
    restore_sqlite(copy.path, restored)
    reopened = create_engine(f"sqlite+aiosqlite:///{restored}")
    try:
        async with UnitOfWorkFactory(session_factory(reopened))() as uow:
            count = await uow.session.scalar(select(func.count()).select_from(OutboxMessage))
            keys = set((await uow.session.scalars(select(OutboxMessage.dedupe_key))).all())
    finally:
        await reopened.dispose()
    assert count == len(saved) and keys == saved


async def test_restore_refuses_a_database_in_use_or_an_existing_file_without_force(
    live: tuple[Path, AsyncEngine], tmp_path: Path
) -> None:
    path, engine = live
    copy = backup_sqlite(path, tmp_path / "copy.db")
    with pytest.raises(BackupError, match="exists"):
        backup_sqlite(path, copy.path)
    async with engine.connect():  # the service has the database open
        with pytest.raises(BackupError, match="in use"):
            restore_sqlite(copy.path, path, force=True)
    await engine.dispose()
    with pytest.raises(BackupError, match="--force"):
        restore_sqlite(copy.path, path)
    assert restore_sqlite(copy.path, path, force=True).schema.at_head


def test_a_damaged_or_foreign_file_is_refused_before_anything_is_replaced(
    tmp_path: Path, sqlite_template: Path
) -> None:
    foreign = tmp_path / "other.db"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE notes (x)")
        conn.commit()
    with pytest.raises(BackupError, match="not a consultbot database"):
        inspect_sqlite(foreign)
    future = tmp_path / "future.db"
    shutil.copy(sqlite_template, future)
    with closing(sqlite3.connect(future)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'from_a_newer_release'")
        conn.commit()
    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    before = target.read_bytes()
    with pytest.raises(BackupError, match="not one this version"):
        restore_sqlite(future, target, force=True)
    assert target.read_bytes() == before, "the target is untouched"
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    with pytest.raises(BackupError, match="not a readable SQLite database"):
        inspect_sqlite(garbage)


def _cli(cwd: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=120, check=False)


async def test_operator_backs_up_and_restores_from_the_command_line(
    live: tuple[Path, AsyncEngine], tmp_path: Path
) -> None:
    source, engine = live
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        await agencies.add_agency(uow, "SO-X", "Sở X")
        await uow.commit()
    folder = tmp_path / "backups"
    folder.mkdir()
    made = _cli(tmp_path, source, "backup", "--output", str(folder))  # while the engine is open
    assert made.returncode == 0 and "integrity ok" in made.stdout, made.stderr
    (written,) = folder.glob("consultbot-*Z.db")
    fresh = tmp_path / "fresh.db"
    restored = _cli(tmp_path, fresh, "restore", str(written))
    assert restored.returncode == 0 and "Restored" in restored.stdout, restored.stderr
    with closing(sqlite3.connect(fresh)) as conn:
        assert conn.execute("SELECT code FROM agencies").fetchall() == [("SO-X",)]
    again = _cli(tmp_path, fresh, "restore", str(written))
    assert again.returncode == 2 and "--force" in again.stderr, "no silent overwrite"
