"""Secrets generated once and shared by every instance through the database."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import AppSecret
from storage.uow import UnitOfWork


async def get_or_create(uow: UnitOfWork, name: str) -> str:
    """The secret called `name`, generated on first use; two instances racing agree on one."""
    dialect = uow.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await uow.session.execute(
        insert(AppSecret)
        .values(name=name, value=secrets.token_urlsafe(48), created_at=uow.now())
        .on_conflict_do_nothing(index_elements=["name"])
    )
    value = await uow.session.scalar(select(AppSecret.value).where(AppSecret.name == name))
    assert value is not None
    return value
