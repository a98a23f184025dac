"""Which migration a database is at, compared with the migrations this code ships.

Readiness (`/readyz`) and restore both ask the same question: is this database's
schema one we know, and is it the newest? The answer comes from Alembic's own
`alembic_version` table and script directory, never from guessing at tables.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import alembic_config


@dataclass(frozen=True)
class SchemaState:
    """The revisions a database records, against those the code ships."""

    current: frozenset[str]
    heads: frozenset[str]
    known: frozenset[str]

    @property
    def at_head(self) -> bool:
        return bool(self.current) and self.current == self.heads

    @property
    def recognised(self) -> bool:
        """Every recorded revision is one of ours (an older one can still be upgraded)."""
        return bool(self.current) and self.current <= self.known


@functools.cache
def _script() -> ScriptDirectory:
    """Read once per process: the migrations on disk do not change while it runs."""
    return ScriptDirectory.from_config(alembic_config())


def shipped_heads() -> frozenset[str]:
    return frozenset(_script().get_heads())


def shipped_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _script().walk_revisions())


def state_of(revisions: set[str] | frozenset[str]) -> SchemaState:
    return SchemaState(frozenset(revisions), shipped_heads(), shipped_revisions())


def _current(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


async def schema_state(engine: AsyncEngine) -> SchemaState:
    """Read the recorded revisions over one short connection (raises if the database is down)."""
    async with engine.connect() as connection:
        current = await connection.run_sync(_current)
    return state_of(current)
