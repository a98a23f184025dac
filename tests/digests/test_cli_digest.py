"""`consultbot digest ...` and `consultbot jobs ...` run as an operator runs them: real processes
on a real database file."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consultations import comments, participants, rounds
from storage.engine import create_engine, session_factory
from storage.models import Digest, OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.conftest import SHORT_DRAFT


def consultbot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=Path(__file__).parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _comment_and_count(db: Path, round_id: int | None = None) -> tuple[int, int]:
    """Add one comment (when a round is given); (digests, outbox rows) in the database."""
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    uows = UnitOfWorkFactory(session_factory(engine))
    try:
        async with uows() as uow:
            if round_id is not None:
                who = await participants.grant_consent(uow, "telegram", "42")
                await comments.submit(
                    uow,
                    participant_id=who.id,
                    round_id=round_id,
                    stance="oppose",
                    channel="telegram",
                    text="Phí trông giữ xe ở chợ quá cao.",
                )
                await uow.commit()
            digests = await uow.session.scalar(select(func.count()).select_from(Digest))
            queued = await uow.session.scalar(select(func.count()).select_from(OutboxMessage))
            return digests or 0, queued or 0
    finally:
        await engine.dispose()


async def _round_id(db: Path) -> int:
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        async with UnitOfWorkFactory(session_factory(engine))() as uow:
            return (await rounds.list_rounds(uow, "open"))[0].id
    finally:
        await engine.dispose()


@pytest.fixture
def agency(tmp_path: Path) -> int:
    """SO-TTTT with an open round of three articles and one comment; returns the round id."""
    assert "up to date" in consultbot(tmp_path, "db", "upgrade").stdout
    assert consultbot(tmp_path, "agency", "add", "SO-TTTT", "Sở Thông tin").returncode == 0
    draft = tmp_path / "du-thao.md"
    draft.write_text(SHORT_DRAFT, encoding="utf-8")
    imported = consultbot(
        tmp_path,
        "round",
        "import",
        str(draft),
        "--agency",
        "SO-TTTT",
        "--title",
        "Dự thảo thử",
        "--open",
    )
    assert imported.returncode == 0, imported.stderr
    round_id = asyncio.run(_round_id(tmp_path / "cli.db"))
    asyncio.run(_comment_and_count(tmp_path / "cli.db", round_id))
    return round_id


@pytest.mark.parametrize(
    "command",
    [
        ["digest"],
        ["digest", "send"],
        ["digest", "show"],
        ["digest", "schedule"],
        ["digest", "emails"],
        ["jobs"],
        ["jobs", "list"],
        ["jobs", "run"],
    ],
)
def test_every_digest_and_jobs_command_has_help(tmp_path: Path, command: list[str]) -> None:
    result = consultbot(tmp_path, *command, "--help")
    assert result.returncode == 0 and "usage: " in result.stdout, result.stderr


def test_digest_send_stores_the_period_and_queues_it_for_every_destination(
    tmp_path: Path, agency: int
) -> None:
    added = consultbot(
        tmp_path, "digest", "emails", "--agency", "so-tttt", "--add", "van-thu@so-tttt.gov.vn"
    )
    assert added.stdout.strip() == "van-thu@so-tttt.gov.vn", added.stderr
    sent = consultbot(tmp_path, "digest", "send", "--agency", "SO-TTTT")
    assert sent.returncode == 0 and "SO-TTTT daily: digest 1, 1 messages" in sent.stdout, (
        sent.stdout + sent.stderr
    )
    assert asyncio.run(_comment_and_count(tmp_path / "cli.db")) == (1, 1)
    again = consultbot(tmp_path, "digest", "send", "--agency", "SO-TTTT")
    assert again.returncode == 0, again.stderr
    digests, queued = asyncio.run(_comment_and_count(tmp_path / "cli.db"))
    assert (digests, queued) == (2, 1), "a quiet period was sent, or the last one again"


def test_digest_show_schedule_and_mistakes(tmp_path: Path, agency: int) -> None:
    shown = consultbot(tmp_path, "digest", "show", "--agency", "SO-TTTT")
    assert "Bản tin góp ý hằng ngày" in shown.stdout and "Mới trong kỳ: 1 góp ý" in shown.stdout
    changed = consultbot(
        tmp_path,
        "digest",
        "schedule",
        "--agency",
        "SO-TTTT",
        "--daily",
        "0 17 * * 1-5",
        "--no-weekly",
        "--send-empty",
        "yes",
    )
    assert "daily '0 17 * * 1-5', weekly 'off'" in changed.stdout, changed.stderr
    listed = consultbot(tmp_path, "jobs", "list").stdout
    assert "digest SO-TTTT daily" in listed and "0 17 * * 1-5" in listed and "rounds" in listed
    bad = consultbot(tmp_path, "digest", "schedule", "--agency", "SO-TTTT", "--daily", "99 7 * * *")
    assert bad.returncode == 2 and "Invalid schedule" in bad.stderr
    unknown = consultbot(tmp_path, "digest", "send", "--agency", "NOPE")
    assert unknown.returncode == 2 and "consultbot:" in unknown.stderr


def test_jobs_run_runs_one_sweep_now(tmp_path: Path, agency: int) -> None:
    ran = consultbot(tmp_path, "jobs", "run", "rounds")
    assert ran.returncode == 0 and ran.stdout.startswith("rounds: 0 opened, 0 closed"), ran.stderr
    digests = consultbot(tmp_path, "jobs", "run", "digests")
    assert digests.returncode == 0 and digests.stdout.startswith("digests:"), digests.stderr
    missing = consultbot(tmp_path, "jobs", "run", "nope")
    assert missing.returncode == 2 and "no job named nope" in missing.stderr
