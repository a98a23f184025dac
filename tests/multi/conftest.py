"""Several instances sharing one PostgreSQL database: each test gets a database of its own.

The server is the one TEST_POSTGRES_URL names; the database is a fresh
cb_multi_<random>, migrated, and dropped after the test (its instances may still hold
connections when a test fails, hence WITH (FORCE)). Without TEST_POSTGRES_URL these
tests are skipped: SQLite runs one instance only.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import NullPool, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage import migrate
from storage.engine import create_engine
from tests.conftest import POSTGRES_URL


@pytest.fixture
async def shared_url() -> AsyncIterator[str]:
    """The URL of a new, migrated database on the test server, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set: several instances need PostgreSQL")
    name = f"cb_multi_{secrets.token_hex(4)}"
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    admin = create_async_engine(POSTGRES_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = create_engine(url)
        await migrate.upgrade(engine)
        await engine.dispose()
        yield url
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
