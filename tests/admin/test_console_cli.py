"""`consultbot console password|unlock`, run as an operator runs them: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Until bot.cli lists the module in EXTENSIONS, the test adds it (once) before main runs.
RUN = ("import sys, bot.cli as c\n"
       "'bot.cli_console' in c.EXTENSIONS or c.EXTENSIONS.append('bot.cli_console')\n"
       "sys.exit(c.main(sys.argv[1:]))")


def _run(tmp_path: Path, *args: str, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
                   "LOG_LEVEL": "WARNING", **(env or {})}
    return subprocess.run([sys.executable, "-c", RUN, *args], cwd=tmp_path, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("command", [["console"], ["console", "password"],
                                     ["console", "unlock"]])
def test_console_commands_have_help(tmp_path: Path, command: list[str]) -> None:
    result = _run(tmp_path, *command, "--help")
    assert result.returncode == 0 and "usage: consultbot" in result.stdout, result.stderr


def test_staff_get_a_console_password_and_a_lock_can_be_lifted(tmp_path: Path) -> None:
    _run(tmp_path, "agency", "add", "SO-TTTT", "Sở Thông tin và Truyền thông")
    assert "added to SO-TTTT" in _run(tmp_path, "staff", "add", "lan", "--agency",
                                      "SO-TTTT").stdout
    weak = _run(tmp_path, "console", "password", "lan",
                env={"CONSULTBOT_STAFF_PASSWORD": "ngan"})
    assert weak.returncode == 2 and "consultbot:" in weak.stderr
    done = _run(tmp_path, "console", "password", "lan",
                env={"CONSULTBOT_STAFF_PASSWORD": "mat-khau-dai-10"})
    assert done.returncode == 0 and "Password set for lan" in done.stdout, done.stderr
    missing = _run(tmp_path, "console", "password", "nobody",
                   env={"CONSULTBOT_STAFF_PASSWORD": "mat-khau-dai-10"})
    assert missing.returncode == 2
    unlocked = _run(tmp_path, "console", "unlock", "LAN")
    assert unlocked.returncode == 0 and "lan unlocked (0 failed attempts" in unlocked.stdout
