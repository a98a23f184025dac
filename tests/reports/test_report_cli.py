"""`consultbot report` and `consultbot outcomes publish`, run as an operator runs them."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import docx
import openpyxl
import pytest

from consultations import agencies, rounds, sections
from consultations.reports import labels
from storage import migrate
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.conftest import SHORT_DRAFT
from tests.reports.conftest import seed_round


async def _seed(url: str) -> int:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        clock = FixedClock(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
        factory = UnitOfWorkFactory(session_factory(engine), clock)
        async with factory() as uow:
            agency = await agencies.add_agency(uow, "SO-TEST", "Sở Thử nghiệm tỉnh Minh Sơn")
            made = await rounds.create_round(
                uow,
                agency_id=agency.id,
                title="Dự thảo Quyết định thử nghiệm",
                document_type="business",
            )
            await sections.import_draft(uow, made.id, SHORT_DRAFT, actor="test")
            await rounds.open_now(uow, made.id, actor="test")
            await uow.commit()
        await seed_round(factory, clock, made.id)
        return made.id
    finally:
        await engine.dispose()


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, int]:
    """A SQLite file holding the seeded, closed round (see conftest); its URL and round id."""
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.db"
    return url, asyncio.run(_seed(url))


def _run(cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", [["report"], ["outcomes", "publish"]])
def test_report_commands_have_help(tmp_path: Path, command: list[str]) -> None:
    result = _run(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/x.db", *command, "--help")
    assert result.returncode == 0 and "usage: consultbot" in result.stdout, result.stderr


def test_report_writes_an_xlsx_under_its_default_name(
    tmp_path: Path, database: tuple[str, int]
) -> None:
    url, round_id = database
    result = _run(tmp_path, url, "report", str(round_id), "--format", "xlsx")
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"bao-cao-tong-hop-round-{round_id}.xlsx"
    assert f"Wrote {path.name}: 6 rows for 8 comments (2 near-duplicates folded)." in result.stdout
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [labels.TABLE_SHEET, labels.SUMMARY_SHEET]
    assert book[labels.TABLE_SHEET].max_row == 7
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_report_writes_a_docx_where_asked(tmp_path: Path, database: tuple[str, int]) -> None:
    url, round_id = database
    target = tmp_path / "bao-cao.docx"
    result = _run(tmp_path, url, "report", str(round_id), "--output", str(target))
    assert result.returncode == 0, result.stderr
    document = docx.Document(io.BytesIO(target.read_bytes()))
    assert any(p.text == labels.TITLE for p in document.paragraphs)
    assert "Minh Sơn, ngày" in document.tables[0].cell(0, 1).text


def test_open_data_is_written_as_json(tmp_path: Path, database: tuple[str, int]) -> None:
    url, round_id = database
    result = _run(tmp_path, url, "report", str(round_id), "--open-data", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / f"du-lieu-mo-round-{round_id}.json").read_text("utf-8"))
    assert data["schema"] == "consultbot-open-data/1" and len(data["comments"]) == 8


def test_mistakes_get_a_clear_message_and_leave_no_file(
    tmp_path: Path, database: tuple[str, int]
) -> None:
    url, round_id = database
    missing = _run(tmp_path, url, "report", "999", "--format", "csv")
    assert missing.returncode == 2 and "consultbot:" in missing.stderr, missing.stderr
    wrong = _run(tmp_path, url, "report", str(round_id), "--open-data", "--format", "docx")
    assert wrong.returncode == 2 and "csv, json, articles-csv" in wrong.stderr, wrong.stderr
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("cli.db")] == []


def test_outcomes_publish_queues_notes_once(tmp_path: Path, database: tuple[str, int]) -> None:
    url, round_id = database
    first = _run(tmp_path, url, "outcomes", "publish", str(round_id))
    assert first.returncode == 0, first.stderr
    assert f"Round {round_id} published: 7 new notes queued for 7 reachable people" in first.stdout
    again = _run(tmp_path, url, "outcomes", "publish", str(round_id))
    assert "was already published: 0 new notes queued" in again.stdout, again.stdout
