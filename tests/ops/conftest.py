"""Helpers for the operations tests: databases of their own beside the shared test database."""

from __future__ import annotations

import socket

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.engine import create_engine
from tests.conftest import POSTGRES_URL


def sibling_url(name: str) -> str:
    """The PostgreSQL test database's URL with another database: <test db>_<name>."""
    url = make_url(POSTGRES_URL or "")
    return url.set(database=f"{url.database}_{name}").render_as_string(hide_password=False)


async def fresh_database(url: str) -> None:
    """Create the database if it is missing and leave its schema empty (no migrations)."""
    admin = create_engine(POSTGRES_URL or "")
    name = make_url(url).database
    async with admin.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        if not await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name}):
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
