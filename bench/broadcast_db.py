"""The broadcast benchmark's databases: one seeded copy per backend, a fresh clone per run.

Seeding 200,000 followers and queuing the announcement through the console's path takes
minutes, and both runs (straight, kill -9) need the same starting point, so it is done
once into a seed database (PostgreSQL: a template database; SQLite: a file) and each run
gets a copy. `--reuse` skips the seeding when a seed with as many followers is there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import followers
from storage import migrate
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWorkFactory

SQLITE_SEED = Path(tempfile.gettempdir()) / "consultbot-broadcast-seed.db"
SQLITE_RUN = Path(tempfile.gettempdir()) / "consultbot-broadcast-run.db"
OUT = Path(__file__).parent / "out"


@dataclass(frozen=True)
class Seed:
    """A database with the followers and the queued announcement, ready to be copied."""

    backend: str
    url: str
    followers: int
    queued: int
    queue_s: float


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


def _name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def seed_url(backend: str, postgres_url: str) -> str:
    if backend == "postgres":
        return f"{postgres_url}_seed"
    return f"sqlite+aiosqlite:///{SQLITE_SEED}"


def _info_path(backend: str) -> Path:
    return OUT / f"broadcast-seed-{backend}.json"


async def seed(backend: str, postgres_url: str, count: int, *, reuse: bool) -> Seed:
    """The seed database of `backend`, made now unless `reuse` finds a matching one."""
    url = seed_url(backend, postgres_url)
    info = _info_path(backend)
    if reuse and info.exists():
        known = Seed(**json.loads(info.read_text()))
        if known.url == url and known.followers == count:
            return known
    if backend == "postgres":
        _psql(f'DROP DATABASE IF EXISTS "{_name(url)}"')
        _psql(f'CREATE DATABASE "{_name(url)}"')
    else:
        _remove_sqlite(SQLITE_SEED)
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        factory = UnitOfWorkFactory(session_factory(engine))
        round_id = await followers.seed(factory, count)
        queued, seconds = await followers.queue_announcement(factory, round_id)
    finally:
        await engine.dispose()
    made = Seed(backend, url, count, queued, seconds)
    OUT.mkdir(exist_ok=True)
    info.write_text(json.dumps(asdict(made), indent=2))
    return made


def clone(made: Seed, postgres_url: str) -> str:
    """A fresh copy of the seed for one run; returns its URL."""
    if made.backend == "postgres":
        _psql(f'DROP DATABASE IF EXISTS "{_name(postgres_url)}"')
        _psql(f'CREATE DATABASE "{_name(postgres_url)}" TEMPLATE "{_name(made.url)}"')
        return postgres_url
    _remove_sqlite(SQLITE_RUN)
    for suffix in ("", "-wal"):
        source = Path(f"{SQLITE_SEED}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{SQLITE_RUN}{suffix}")
    return f"sqlite+aiosqlite:///{SQLITE_RUN}"


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
