"""Webhook delivery: POST each update with the secret header, in order, retrying a few times.

Zalo does not document its retry policy. The stand-in assumes the common one: an answer
other than 2xx (or no answer) is retried after a short, growing pause, up to
``max_attempts`` times, and one update at a time, so a failing update holds back the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import aiohttp

from .builders import wrap

SECRET_HEADER = "X-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class DeliveryPolicy:
    max_attempts: int = 3
    initial_backoff_s: float = 0.2
    request_timeout_s: float = 30.0


@dataclass
class DeliveryAttempt:
    """One POST of one update; `status` None when there was no answer."""

    event: str
    attempt: int
    status: int | None
    error: str | None = None
    time: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class WebhookDeliverer:
    """Delivers updates to one webhook URL until stopped; gives back what it did not deliver."""

    def __init__(self, url: str, secret: str, policy: DeliveryPolicy,
                 attempts: list[DeliveryAttempt]) -> None:
        self.url, self.secret, self.policy = url, secret, policy
        self.attempts = attempts
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._current: dict[str, Any] | None = None
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._worker(), name="zalo-standin-webhook")

    def submit(self, update: dict[str, Any]) -> None:
        self._queue.put_nowait(update)

    async def stop(self) -> list[dict[str, Any]]:
        """Stop; the updates not yet acknowledged, oldest first."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        left = [self._current] if self._current is not None else []
        while not self._queue.empty():
            left.append(self._queue.get_nowait())
        if self._session is not None:
            await self._session.close()
        return left

    async def _worker(self) -> None:
        while True:
            self._current = update = await self._queue.get()
            backoff = self.policy.initial_backoff_s
            for attempt in range(1, self.policy.max_attempts + 1):
                if await self._post(update, attempt) or attempt == self.policy.max_attempts:
                    break
                await asyncio.sleep(backoff)
                backoff *= 2
            self._current = None

    async def _post(self, update: dict[str, Any], attempt: int) -> bool:
        """POST once; True when the webhook answered 2xx."""
        assert self._session is not None
        record = DeliveryAttempt(_event_key(update), attempt, status=None)
        self.attempts.append(record)
        headers = {"Content-Type": "application/json", SECRET_HEADER: self.secret}
        timeout = aiohttp.ClientTimeout(total=self.policy.request_timeout_s)
        try:
            async with self._session.post(
                self.url, data=json.dumps(wrap(update)), headers=headers, timeout=timeout
            ) as response:
                record.status = response.status
                await response.read()
        except (aiohttp.ClientError, OSError) as error:  # TimeoutError is an OSError
            record.error = type(error).__name__
            return False
        return 200 <= record.status < 300


def _event_key(update: dict[str, Any]) -> str:
    message = update.get("message") or {}
    return f"{update.get('event_name')}:{message.get('message_id')}"
