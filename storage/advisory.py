"""PostgreSQL advisory locks named by strings: who leads the scheduler, who stores a digest.

An advisory lock is a 64-bit key the application gives a meaning to; here a name such as
"consultbot:scheduler" is hashed to one, so code and operators speak of locks by name.
Advisory locks belong to one database, so two deployments on one server do not collide.

Two kinds are used:

* a session-level lock on a connection of its own (`HeldLock`), held for as long as the
  connection lives: PostgreSQL frees it the moment that connection ends, which is what
  hands the scheduler to another instance when its holder dies;
* a transaction-level lock (`xact_lock`), freed at commit or rollback, which queues
  writers that must not interleave (two digests of one agency computed at once).

SQLite has one writer at a time and no advisory locks; `xact_lock` does nothing there.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import NullPool, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

# A dead client host is noticed by the server after about 10 + 3 x 5 s of silence (instead
# of the kernel's two hours), so the lock of an instance whose machine vanished is freed.
KEEPALIVE = {"tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5",
             "tcp_keepalives_count": "3"}
CLOSE_SECONDS = 2.0  # a connection that does not close within this is abandoned


def lock_key(name: str) -> int:
    """The signed 64-bit key of a named lock (the first 8 bytes of its SHA-256)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def key_parts(name: str) -> tuple[int, int]:
    """(classid, objid) under which pg_locks shows the lock: the key's high and low 32 bits."""
    unsigned = lock_key(name) & 0xFFFF_FFFF_FFFF_FFFF
    return unsigned >> 32, unsigned & 0xFFFF_FFFF


async def xact_lock(target: AsyncSession | AsyncConnection, name: str) -> None:
    """Wait for the named lock and hold it until the current transaction ends (PostgreSQL)."""
    bind = target if isinstance(target, AsyncConnection) else target.get_bind()
    if bind.dialect.name != "postgresql":
        return
    await target.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})


@dataclass(frozen=True)
class Holder:
    """The backend holding a named lock, as pg_stat_activity shows it."""

    pid: int
    application_name: str


HOLDERS_SQL = text(
    "SELECT l.pid, a.application_name FROM pg_locks l "
    "JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid = :classid AND l.objid = :objid"
)


async def holders(conn: AsyncConnection, name: str) -> list[Holder]:
    """Who holds the named session-level lock in this database (none or one)."""
    classid, objid = key_parts(name)
    rows = await conn.execute(HOLDERS_SQL, {"classid": classid, "objid": objid})
    return [Holder(int(pid), str(app or "")) for pid, app in rows]


class HeldLock:
    """A named session-level advisory lock on a connection nobody else uses.

    The connection comes from an engine of its own without a pool, so it is never handed
    to other code or quietly replaced; it runs in autocommit, so it never sits idle in a
    transaction. `application_name` shows in pg_stat_activity who holds the lock;
    `on_closed` is called the moment the driver sees the connection end (asyncpg's
    termination listener), so a holder need not wait for its next check to know.
    """

    def __init__(
        self, url: str, name: str, *, application_name: str,
        on_closed: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        self._on_closed = on_closed
        self._engine: AsyncEngine = create_async_engine(
            url,
            poolclass=NullPool,
            connect_args={"server_settings": {"application_name": application_name[:63],
                                              **KEEPALIVE}},
        )
        self._conn: AsyncConnection | None = None
        self.held = False

    async def try_acquire(self) -> bool:
        """Take the lock if it is free; True while this connection holds it."""
        if self.held:
            return True
        if self._conn is None:
            conn = await self._engine.connect()
            self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await self._listen(self._conn)
        got = await self._conn.scalar(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": lock_key(self.name)}
        )
        self.held = bool(got)
        return self.held

    async def _listen(self, conn: AsyncConnection) -> None:
        if self._on_closed is None:
            return
        on_closed = self._on_closed
        driver: Any = (await conn.get_raw_connection()).driver_connection
        add = getattr(driver, "add_termination_listener", None)
        if add is not None:
            add(lambda _connection: on_closed())

    async def alive(self) -> bool:
        """Whether the connection still answers (and so still holds what it took)."""
        if self._conn is None:
            return False
        await self._conn.execute(text("SELECT 1"))
        return True

    async def backend_pid(self) -> int | None:
        """The server process of the connection: what pg_terminate_backend takes."""
        if self._conn is None:
            return None
        pid = await self._conn.scalar(text("SELECT pg_backend_pid()"))
        return int(pid) if pid is not None else None

    async def drop(self) -> None:
        """Close the connection, which frees the lock; a dead one is abandoned after a while."""
        conn, self._conn, self.held = self._conn, None, False
        if conn is None:
            return
        with contextlib.suppress(Exception):
            async with asyncio.timeout(CLOSE_SECONDS):
                await conn.close()

    async def dispose(self) -> None:
        await self.drop()
        await self._engine.dispose()
