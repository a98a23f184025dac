"""Real processes for the multi-instance test: the Bot API stand-in and `consultbot run`s.

Each child writes its log to a file (a pipe nobody reads would fill and stall it); the
test reads the files to see who led the scheduler and when.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import free_port, wait_http

TOKEN = "123456:MULTI-INSTANCE"
SECRET = "multi-instance-webhook-secret"


@dataclass
class Child:
    """A child process and its log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    port: int
    killed_at: float | None = field(default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.killed_at is None and self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """SIGTERM (a clean stop), SIGKILL if it does not go within 15 s."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def spawn(name: str, args: list[str], env: dict[str, str], logs: Path, port: int) -> Child:
    log_path = logs / f"{name}.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            [sys.executable, *args], env={**os.environ, **env},
            stdout=log, stderr=subprocess.STDOUT,
        )
    return Child(name, popen, log_path, port)


async def start_standin(logs: Path) -> Child:
    """The Telegram Bot API stand-in, with Telegram's flood limits on."""
    port = free_port()
    child = spawn("standin", ["-m", "bot.telegram.standin", "--port", str(port),
                              "--token", TOKEN], {}, logs, port)
    await wait_http(f"{child.url}/_standin/stats")
    return child


def instance_env(db_url: str, standin: Child, port: int, retry_seconds: float) -> dict[str, str]:
    """What an operator sets on every instance: the same database, the same secrets."""
    return {
        "DATABASE_URL": db_url,
        "HTTP_PORT": str(port),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "SCHEDULER_ENABLED": "true",
        "SCHEDULER_LOCK_RETRY_SECONDS": str(retry_seconds),
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "text",
    }


def start_instance(name: str, db_url: str, standin: Child, logs: Path, retry: float) -> Child:
    port = free_port()
    return spawn(name, ["-m", "bot", "run"], instance_env(db_url, standin, port, retry),
                 logs, port)


async def wait_ready(child: Child) -> None:
    await wait_http(f"{child.url}/healthz")
