"""PostgreSQL: pg_dump of one database restored into another, through the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from consultations import agencies, outbox
from storage import migrate
from storage.engine import create_engine, session_factory
from storage.models import Agency, OutboxMessage
from storage.pg_backup import libpq
from storage.uow import UnitOfWorkFactory
from tests.conftest import POSTGRES_URL
from tests.ops.conftest import fresh_database, sibling_url

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set")
needs_tools = pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="pg_dump/pg_restore are not installed",
)


async def _counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        async with UnitOfWorkFactory(session_factory(engine))() as uow:
            agency_count = await uow.session.scalar(select(func.count()).select_from(Agency))
            rows = await uow.session.scalar(select(func.count()).select_from(OutboxMessage))
    finally:
        await engine.dispose()
    return int(agency_count or 0), int(rows or 0)


def _cli(cwd: Path, url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=environment,
                           text=True, capture_output=True, timeout=120, check=False)


@needs_tools
async def test_pg_dump_backup_restores_into_another_database_with_the_same_rows(
    tmp_path: Path,
) -> None:
    source, target = sibling_url("src"), sibling_url("dst")
    await fresh_database(source)
    await fresh_database(target)
    engine = create_engine(source)
    await migrate.upgrade(engine)
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        for n in range(3):
            await agencies.add_agency(uow, f"SO-{n}", f"Sở số {n}")
        for n in range(40):
            await outbox.enqueue(uow, channel="telegram", recipient=str(n), payload={"n": n},
                                 dedupe_key=f"backup-test:{n}")
        await uow.commit()
    await engine.dispose()
    dump = tmp_path / "consultbot.dump"

    made = _cli(tmp_path, source, "backup", "--output", str(dump))
    assert made.returncode == 0 and "archive readable" in made.stdout, made.stderr
    restored = _cli(tmp_path, target, "restore", str(dump))
    assert restored.returncode == 0, restored.stderr
    assert await _counts(target) == await _counts(source) == (3, 40)

    again = _cli(tmp_path, target, "restore", str(dump))
    assert again.returncode == 2 and "--force" in again.stderr, "no silent overwrite"
    forced = _cli(tmp_path, target, "restore", str(dump), "--force")
    assert forced.returncode == 0 and "Restored" in forced.stdout, forced.stderr
    assert await _counts(target) == (3, 40)


@needs_tools
async def test_restore_is_refused_while_another_session_uses_the_database(
    tmp_path: Path,
) -> None:
    target = sibling_url("dst")
    await fresh_database(target)
    dump = tmp_path / "empty.dump"
    assert _cli(tmp_path, target, "backup", "--output", str(dump)).returncode == 0
    engine = create_engine(target)
    try:
        async with engine.connect():  # the running service
            busy = _cli(tmp_path, target, "restore", str(dump), "--force")
    finally:
        await engine.dispose()
    assert busy.returncode == 2 and "stop the service" in busy.stderr, busy.stderr


def test_without_pg_tools_the_exact_commands_are_printed_without_the_password(
    tmp_path: Path,
) -> None:
    url = make_url(sibling_url("src")).set(password="hunter2-secret")
    printed = _cli(tmp_path, url.render_as_string(hide_password=False), "backup",
                   "--output", "nightly.dump", PATH=str(tmp_path))
    assert printed.returncode == 1, "no backup was made: a cron job must notice"
    assert "pg_dump --format=custom --file=nightly.dump" in printed.stdout
    assert "pg_restore --clean --if-exists" in printed.stdout
    assert "hunter2" not in printed.stdout + printed.stderr


def test_libpq_url_keeps_the_password_apart_and_maps_asyncpg_ssl() -> None:
    conn = libpq("postgresql+asyncpg://app:p%40ss@db.internal:5433/consultbot?ssl=require")
    assert conn.uri == "postgresql://app@db.internal:5433/consultbot?sslmode=require"
    assert conn.password == "p@ss" and conn.env()["PGPASSWORD"] == "p@ss"
