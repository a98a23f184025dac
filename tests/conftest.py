"""Shared fixtures: every storage, domain and flow test runs on SQLite, and on PostgreSQL
when TEST_POSTGRES_URL is set (make test sets it when a local server answers)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.models import Base
from storage.uow import UnitOfWorkFactory

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
# A Runtime started by a test runs no scheduled jobs unless the test starts them itself:
# a sweep firing at start would add messages the test did not ask for.
os.environ.setdefault("SCHEDULER_ENABLED", "false")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
KEPT_TABLES = {"alembic_version", "document_types"}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once keeps the suite fast)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    import asyncio

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(build())
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> Iterator[str | None]:
    """Reset the test database's schema once and migrate it."""
    if not POSTGRES_URL:
        yield None
        return
    import asyncio

    async def build() -> None:
        engine = create_engine(POSTGRES_URL)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(build())
    yield POSTGRES_URL


@pytest.fixture(params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path,
    postgres_ready: str | None,
) -> str:
    """A migrated, empty database URL for one test."""
    if request.param == "sqlite":
        path = tmp_path / "consultbot.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    assert postgres_ready is not None
    return postgres_ready


async def _truncate(engine: AsyncEngine) -> None:
    names = [t.name for t in Base.metadata.sorted_tables if t.name not in KEPT_TABLES]
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        await conn.execute(text(
            "UPDATE document_types SET min_comment_days = CASE code "
            "WHEN 'business' THEN 60 ELSE 20 END"))


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    if engine.dialect.name == "postgresql":
        await _truncate(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def uow_factory(engine: AsyncEngine, clock: FixedClock) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(session_factory(engine), clock)


SHORT_DRAFT = """DỰ THẢO
QUYẾT ĐỊNH
Quy định về thử nghiệm

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Quyết định này quy định việc thử nghiệm.

Điều 2. Đối tượng áp dụng
1. Cơ quan nhà nước.
2. Tổ chức, cá nhân có liên quan:
a) Doanh nghiệp;
b) Hộ kinh doanh.

Chương II
TỔ CHỨC THỰC HIỆN

Điều 3. Hiệu lực thi hành
Quyết định này có hiệu lực từ ngày ký.
"""


@pytest.fixture
async def open_round(uow_factory: UnitOfWorkFactory) -> int:
    """An agency and an open round of three articles; returns the round id."""
    from consultations import agencies, rounds, sections

    async with uow_factory() as uow:
        agency = await agencies.add_agency(uow, "SO-TEST", "Sở Thử nghiệm tỉnh Minh Sơn")
        made = await rounds.create_round(
            uow, agency_id=agency.id, title="Dự thảo Quyết định thử nghiệm",
            document_type="business", summary="Tóm tắt dự thảo.",
        )
        await sections.import_draft(uow, made.id, SHORT_DRAFT, actor="test")
        await rounds.open_now(uow, made.id, actor="test")
        await uow.commit()
        return made.id
