"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import Base


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_models_match_migrations(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        differences = await conn.run_sync(_diff)
    assert differences == [], f"models and migrations disagree: {differences}"


async def test_document_types_are_seeded_with_minimum_periods(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        rows = dict((await conn.execute(
            text("SELECT code, min_comment_days FROM document_types"))).all())
    assert rows["business"] == 60, "documents affecting businesses need 60 days by default"


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(
    engine: AsyncEngine,
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    async with engine.connect() as conn:
        mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
        fks = (await conn.execute(text("PRAGMA foreign_keys"))).scalar()
        timeout = (await conn.execute(text("PRAGMA busy_timeout"))).scalar()
    assert (mode, fks) == ("wal", 1)
    assert timeout and timeout >= 1000
