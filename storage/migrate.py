"""Apply the Alembic migrations programmatically (CLI `db upgrade`, start-up, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.advisory import xact_lock


def alembic_config(url: str = "") -> Config:
    """Configuration pointing at our migrations; no alembic.ini file is needed."""
    config = Config()
    config.set_main_option("script_location", "storage:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade_on(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    """Bring the database to `revision` over an existing engine's connection.

    Instances starting at once on PostgreSQL take turns (a transaction lock): the first
    migrates, the others then find nothing to do instead of creating the tables twice.
    """
    async with engine.begin() as connection:
        await xact_lock(connection, "consultbot:migrate")
        await connection.run_sync(_upgrade_on, revision)
