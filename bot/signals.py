"""Waiting for SIGINT/SIGTERM: how every long-running command of ours ends cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import signal


async def until_stopped() -> None:
    """Return when the process is asked to stop (Ctrl+C, `kill`, a container restart)."""
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, done.set)
    await done.wait()
