"""The consultbot command line, run as an operator runs it (a real process, a real file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHORT_DRAFT


def _run(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["run"],
        ["demo"],
        ["db", "upgrade"],
        ["admin", "create"],
        ["agency", "add"],
        ["round", "import"],
        ["staff", "add"],
        ["staff", "link"],
        ["outbox", "dead"],
    ],
)
def test_every_command_has_help(tmp_path: Path, command: list[str]) -> None:
    result = _run(tmp_path, *command, "--help")
    assert result.returncode == 0 and "usage: consultbot" in result.stdout, result.stderr


def test_operator_sets_up_an_agency_a_round_and_a_staff_link(tmp_path: Path) -> None:
    assert "up to date" in _run(tmp_path, "db", "upgrade").stdout
    added = _run(tmp_path, "agency", "add", "so-tttt", "Sở Thông tin và Truyền thông")
    assert "Agency SO-TTTT created" in added.stdout, added.stderr
    draft = tmp_path / "du-thao.md"
    draft.write_text(SHORT_DRAFT, encoding="utf-8")
    imported = _run(
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
    assert "with 3 articles and opened" in imported.stdout, imported.stderr
    assert "added to SO-TTTT" in _run(tmp_path, "staff", "add", "lan", "--agency", "SO-TTTT").stdout
    link = _run(tmp_path, "staff", "link", "--login", "lan")
    assert "/link " in link.stdout, link.stderr
    admin = _run(
        tmp_path,
        "admin",
        "create",
        "root",
        env={"CONSULTBOT_ADMIN_PASSWORD": "a-long-enough-password"},
    )
    assert "Admin root created" in admin.stdout, admin.stderr
    assert "No undelivered messages." in _run(tmp_path, "outbox", "dead").stdout


def test_mistakes_get_a_clear_message_and_exit_code(tmp_path: Path) -> None:
    missing = _run(tmp_path, "staff", "link", "--agency", "NOPE")
    assert missing.returncode == 2 and "agency" in missing.stderr.lower()
    weak = _run(tmp_path, "admin", "create", "root", env={"CONSULTBOT_ADMIN_PASSWORD": "short"})
    assert weak.returncode == 2 and "consultbot:" in weak.stderr
