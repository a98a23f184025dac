"""The container's entry point and health check, run as the image would run them (no Docker)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _instruction(name: str) -> str:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    match = re.search(rf"^{name}\s+(.*)$", text, re.MULTILINE)
    assert match, f"Dockerfile has no {name}"
    return match.group(1).strip()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_entry_point_migrates_serves_answers_the_health_check_and_stops_cleanly(
    tmp_path: Path,
) -> None:
    entry = json.loads(_instruction("ENTRYPOINT")) + json.loads(_instruction("CMD"))
    assert entry == ["consultbot", "run"]
    health = json.loads(_instruction("HEALTHCHECK").split("CMD", 1)[1].strip())
    port = str(_free_port())
    env = {**os.environ, "HTTP_HOST": "127.0.0.1", "HTTP_PORT": port, "LOG_LEVEL": "WARNING",
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/consultbot.db"}
    binary = Path(sys.executable).parent / entry[0]
    server = subprocess.Popen([str(binary), *entry[1:]], env=env, cwd=tmp_path)
    try:
        for _ in range(100):  # up to 20 s for migrations and start
            probe = subprocess.run([sys.executable, *health[1:]], env=env, check=False,
                                   capture_output=True, timeout=10)
            if probe.returncode == 0:
                break
            time.sleep(0.2)
        assert probe.returncode == 0, f"health check failed: {probe.stderr.decode()[-300:]}"
        assert (tmp_path / "consultbot.db").exists(), "migrations ran on start"
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=20)
    assert code == 0, "SIGTERM stops the service cleanly (what a container restart sends)"
