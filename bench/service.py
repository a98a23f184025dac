"""The processes the broadcast and memory benchmarks measure, and what they read about them.

Children log to files rather than pipes: a pipe nobody reads fills up and blocks the child
mid-benchmark. The service can be stopped politely (SIGTERM) or killed (SIGKILL, what a
power cut or an OOM kill does), and its memory is read from /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import aiohttp

from bench.procs import free_port, wait_http

TOKEN = "123456:BENCH"
SECRET = "bench-secret"


@dataclass
class Child:
    """A running child process and the file its output goes to."""

    popen: subprocess.Popen[bytes]
    log: IO[bytes]
    watchers: list[Child] = field(default_factory=list)  # e.g. a profiler attached to it

    @property
    def pid(self) -> int:
        return self.popen.pid

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, leases and in-flight sends are left as they are."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait()
        self._end_watchers()

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, then SIGKILL if it does not end in time."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._end_watchers()
        self.log.close()

    def _end_watchers(self) -> None:
        """A profiler ends by itself when its target does: wait until it has written."""
        for watcher in self.watchers:
            try:
                watcher.popen.wait(timeout=120)
            except subprocess.TimeoutExpired:
                watcher.popen.kill()
            watcher.log.close()
        self.watchers.clear()


def start(
    args: list[str], log_path: Path, env: dict[str, str] | None = None, *, python: bool = True
) -> Child:
    """`python <args>` (or the program `args` names) with its output appended to `log_path`."""
    log = log_path.open("ab")
    popen = subprocess.Popen(
        [sys.executable, *args] if python else args,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return Child(popen, log)


@contextmanager
def running(args: list[str], log_path: Path, env: dict[str, str] | None = None) -> Iterator[Child]:
    """A child for the length of the block."""
    child = start(args, log_path, env)
    try:
        yield child
    finally:
        child.stop()


@dataclass(frozen=True)
class StandinOptions:
    """Flood limits of the stand-in; None turns them off."""

    per_second: int | None = None
    paid_per_second: int | None = None


def standin_args(port: int, options: StandinOptions) -> list[str]:
    args = ["-m", "bot.telegram.standin", "--port", str(port), "--token", TOKEN]
    if options.per_second is None:
        return [*args, "--no-limits"]
    paid = options.paid_per_second or options.per_second
    return [*args, "--per-second", str(options.per_second), "--paid-per-second", str(paid)]


def service_env(db_url: str, port: int, standin_root: str, **extra: str) -> dict[str, str]:
    """`consultbot run` on a webhook from the stand-in, no scheduled jobs, quiet logs."""
    return {
        "DATABASE_URL": db_url,
        "HTTP_PORT": str(port),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin_root,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "SCHEDULER_ENABLED": "false",
        **extra,
    }


async def start_service(
    env: dict[str, str], log_path: Path, profile: Path | None = None
) -> Child:
    """`consultbot run`, once its web server answers; sampled by py-spy if `profile` is set."""
    child = start(["-m", "bot", "run"], log_path, env)
    await wait_http(f"http://127.0.0.1:{env['HTTP_PORT']}/healthz", seconds=120)
    if profile is not None:
        attach_profiler(child, profile, "service")
    return child


def attach_profiler(child: Child, folder: Path, name: str) -> None:
    """Sample `child` with py-spy until it ends, into `folder`/`name`-PID.txt.

    The samples are collapsed stacks, written when the child ends; `python -m bench.stacks
    FILE` summarises them.
    """
    out = folder / f"{name}-{child.pid}.txt"
    spy = str(Path(sys.executable).parent / "py-spy")
    args = [spy, "record", "--pid", str(child.pid), "--format", "raw", "--rate", "200",
            "--nonblocking", "-o", str(out)]
    child.watchers.append(start(args, folder / "py-spy.log", python=False))


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (the peak of it) of a process, in kB."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def get_json(session: aiohttp.ClientSession, url: str) -> dict[str, object]:
    async with session.get(url) as response:
        response.raise_for_status()
        data: dict[str, object] = await response.json()
        return data


def reset_postgres(url: str) -> None:
    """Drop and create the database named in `url` (nobody else may be connected to it)."""
    name = url.rsplit("/", 1)[1]
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
            check=True,
            capture_output=True,
        )


__all__ = [
    "SECRET",
    "TOKEN",
    "Child",
    "StandinOptions",
    "attach_profiler",
    "cpu_seconds",
    "free_port",
    "get_json",
    "memory_kb",
    "reset_postgres",
    "running",
    "service_env",
    "standin_args",
    "start",
    "start_service",
    "wait_http",
]
