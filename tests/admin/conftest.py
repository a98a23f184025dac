"""A running consultbot with the console, people of two agencies, and a browser-like client."""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from bot.settings import Settings
from consultations import agencies, rounds, sections, staff
from storage.clock import FixedClock
from storage.engine import session_factory
from storage.models import AuditEntry, Staff
from storage.uow import UnitOfWorkFactory
from tests.conftest import SHORT_DRAFT

PASSWORD = "mat-khau-dai-10"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class People:
    """Ids made by the `people` fixture: agency A (the open round's) and another agency B."""

    agency_a: int
    agency_b: int
    round_a: int
    round_b: int


@functools.cache
def password_hash() -> str:
    """One argon2 hash for every test account: hashing costs ~0.3 s on a small machine."""
    return PasswordHasher().hash(PASSWORD)


async def seed_people(uow_factory: UnitOfWorkFactory, open_round: int) -> People:
    """An admin, staff and a moderator of agency A, staff of agency B with its own draft round."""
    async with uow_factory() as uow:
        round_a = await rounds.get_round(uow, open_round)
        other = await agencies.add_agency(uow, "SO-KHAC", "Sở Khác tỉnh Minh Sơn")
        made = await rounds.create_round(
            uow, agency_id=other.id, title="Dự thảo của Sở Khác", document_type="legal")
        await sections.import_draft(uow, made.id, SHORT_DRAFT, actor="test")
        for login, role, agency in (("root", "admin", None), ("lan", "agency_staff",
                                    round_a.agency_id), ("hoa", "moderator", round_a.agency_id),
                                    ("minh", "agency_staff", other.id)):
            staff_id = await staff.create_staff(
                uow, login=login, display_name=login.title(), role=role, password=None,
                agency_id=agency, actor="test")
            row = await uow.session.get(Staff, staff_id)
            assert row is not None
            row.password_hash = password_hash()
        await uow.commit()
    return People(round_a.agency_id, other.id, open_round, made.id)


@pytest.fixture
async def people(uow_factory: UnitOfWorkFactory, open_round: int) -> People:
    return await seed_people(uow_factory, open_round)


def settings_for(db_url: str, **overrides: Any) -> Settings:
    return Settings(database_url=db_url, http_port=0, admin_secret_key="k" * 40,
                    _env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.fixture
async def server(
    db_url: str, engine: AsyncEngine, people: People, clock: FixedClock
) -> AsyncIterator[str]:
    runtime = Runtime(settings_for(db_url), clock)
    await runtime.start()
    yield runtime.url
    await runtime.stop()


class Client:
    """A browser stand-in: a cookie jar, and forms posted with the page's CSRF token."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.token = ""

    async def get(self, path: str, **kwargs: Any) -> tuple[int, str]:
        async with self.session.get(self.base + path, **kwargs) as response:
            html = await response.text()
            self.url = str(response.url)
        if found := CSRF.search(html):
            self.token = found.group(1)
        return response.status, html

    async def post(self, path: str, data: dict[str, Any] | aiohttp.FormData | None = None,
                   *, csrf: bool = True, **kwargs: Any) -> tuple[int, str]:
        if isinstance(data, aiohttp.FormData):
            if csrf:
                data.add_field("csrf_token", self.token)
            body: Any = data
        else:
            body = {**({"csrf_token": self.token} if csrf else {}), **(data or {})}
        async with self.session.post(self.base + path, data=body, **kwargs) as response:
            html = await response.text()
            self.url = str(response.url)
        if found := CSRF.search(html):
            self.token = found.group(1)
        return response.status, html

    async def login(self, login: str, password: str = PASSWORD,
                    headers: dict[str, str] | None = None) -> tuple[int, str]:
        await self.get("/admin/login")
        return await self.post("/admin/login", {"login": login, "password": password},
                               headers=headers)


ClientFactory = Callable[[], Awaitable[Client]]


@pytest.fixture
async def client_factory(server: str) -> AsyncIterator[ClientFactory]:
    sessions: list[aiohttp.ClientSession] = []

    async def make() -> Client:
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        sessions.append(session)
        return Client(session, server)

    yield make
    for session in sessions:
        await session.close()


@pytest.fixture
async def client(client_factory: ClientFactory) -> Client:
    return await client_factory()


async def signed_in(client_factory: ClientFactory, login: str) -> Client:
    client = await client_factory()
    status, html = await client.login(login)
    assert status == 200 and "/admin/rounds" in client.url, f"{login} could not log in: {html}"
    return client


async def audit_actions(engine: AsyncEngine, action_prefix: str = "") -> list[AuditEntry]:
    """Audit entries read through a fresh session (what was really committed)."""
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        rows = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action.startswith(action_prefix))
            .order_by(AuditEntry.id))
        return list(rows)


async def actor(engine: AsyncEngine, login: str) -> str:
    """How the audit log names a staff member ("staff:<id>")."""
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return f"staff:{await uow.session.scalar(select(Staff.id).where(Staff.login == login))}"
