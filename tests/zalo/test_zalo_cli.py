"""`consultbot zalo status|reseed`, run as an operator runs them (a real process, a real file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
        "LOG_LEVEL": "WARNING",
        "ZALO_OA_ID": "388613280878808645",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp_path, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_operator_reseeds_the_token_pair_and_reads_the_status_without_seeing_tokens(
    tmp_path: Path,
) -> None:
    missing = _run(tmp_path, "zalo", "reseed")
    assert missing.returncode == 2 and "ZALO_REFRESH_TOKEN" in missing.stderr
    tokens = {"ZALO_ACCESS_TOKEN": "AT-secret-value-1", "ZALO_REFRESH_TOKEN": "RT-secret-value-1"}
    reseeded = _run(tmp_path, "zalo", "reseed", **tokens)
    assert "version 1" in reseeded.stdout, reseeded.stderr
    status = _run(tmp_path, "zalo", "status")
    assert "token pair version 1" in status.stdout and "waiting" in status.stdout, status.stderr
    printed = reseeded.stdout + reseeded.stderr + status.stdout + status.stderr
    assert "secret-value" not in printed, "a token was printed"
