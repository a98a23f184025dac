"""A platform account's OAuth token pair, kept in the database so every instance shares it.

Zalo refresh tokens are single-use: whoever refreshes must store the new pair before
anyone uses it, and only one refresh may run at a time, across processes too. The
caller (bot/zalo/tokens.py) holds `lock` for the whole refresh: on PostgreSQL it is a
row lock (SELECT ... FOR UPDATE), on SQLite the transaction's write lock (the engine
begins every transaction IMMEDIATE). Token values never leave this module in a log or
an error message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import ChannelToken
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class TokenPair:
    """The current pair; `version` grows by one with every stored refresh.

    The token values are left out of repr(), so a pair printed by accident in a
    traceback or a log line gives nothing away.
    """

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_expires_at: datetime
    refresh_expires_at: datetime | None = None
    version: int = 0


def _pair(row: ChannelToken) -> TokenPair:
    return TokenPair(
        access_token=row.access_token,
        refresh_token=row.refresh_token,
        access_expires_at=row.access_expires_at,
        refresh_expires_at=row.refresh_expires_at,
        version=row.version,
    )


async def current(uow: UnitOfWork, name: str) -> TokenPair | None:
    """The stored pair, without locking it (for sending)."""
    row = await uow.session.get(ChannelToken, name, populate_existing=True)
    return _pair(row) if row is not None else None


async def lock(uow: UnitOfWork, name: str) -> TokenPair | None:
    """The stored pair, locked until the caller's transaction ends (for refreshing)."""
    row = await uow.session.scalar(
        select(ChannelToken)
        .where(ChannelToken.name == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return _pair(row) if row is not None else None


async def seed(uow: UnitOfWork, name: str, pair: TokenPair) -> bool:
    """Store a first pair (from configuration) unless one exists; True when it was stored.

    INSERT ... ON CONFLICT DO NOTHING: two instances starting together seed once.
    """
    now = uow.now()
    dialect = uow.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = await uow.session.execute(
        insert(ChannelToken)
        .values(
            name=name,
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            access_expires_at=pair.access_expires_at,
            refresh_expires_at=pair.refresh_expires_at,
            version=1,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def store(uow: UnitOfWork, name: str, pair: TokenPair) -> TokenPair:
    """Replace the pair (after a refresh, or by an operator); returns it with its new version.

    Call it in the transaction that holds `lock`, and commit before using the new tokens:
    the old refresh token is already spent.
    """
    row = await uow.session.get(ChannelToken, name)
    now = uow.now()
    if row is None:
        row = ChannelToken(name=name, version=0, created_at=now)
        uow.session.add(row)
    row.access_token, row.refresh_token = pair.access_token, pair.refresh_token
    row.access_expires_at, row.refresh_expires_at = pair.access_expires_at, pair.refresh_expires_at
    row.version, row.updated_at = row.version + 1, now
    await uow.session.flush()
    return _pair(row)
