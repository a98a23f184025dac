"""Webhook delivery like Telegram's: POST each update, retry with back-off until a 2xx.

Telegram keeps re-sending an update while the webhook answers non-2xx or is unreachable, with
growing pauses, and opens at most ``max_connections`` simultaneous connections. Each worker here
owns one "connection" and retries its update in place, so with ``max_connections=1`` updates stay
strictly ordered and a failing update holds back the ones behind it, as on the real service.
A 2xx answer may carry a method call in its JSON body ("reply to the webhook"); it is executed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from typing import Any

import aiohttp

__all__ = ["DeliveryAttempt", "DeliveryLog", "DeliveryPolicy", "WebhookConfig", "WebhookDeliverer"]

ReplyHandler = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """Back-off between re-deliveries and how long one delivery may take."""

    initial_backoff_s: float = 1.0
    max_backoff_s: float = 60.0
    request_timeout_s: float = 60.0


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """What setWebhook configured."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    ip_address: str | None = None


@dataclass(slots=True)
class DeliveryAttempt:
    """One POST of one update to the webhook."""

    update_id: int
    attempt: int
    url: str
    time: float
    status: int | None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON form for ``GET /_standin/calls``."""
        return asdict(self)


@dataclass(slots=True)
class DeliveryLog:
    """Delivery history and concurrency, kept across webhook changes."""

    attempts: list[DeliveryAttempt] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    last_error_date: int | None = None
    last_error_message: str | None = None

    def failed(self, message: str) -> None:
        """Remember the last error for getWebhookInfo."""
        self.last_error_date = int(time.time())
        self.last_error_message = message


class WebhookDeliverer:
    """Delivers updates to one webhook configuration until stopped."""

    def __init__(
        self,
        config: WebhookConfig,
        policy: DeliveryPolicy,
        log: DeliveryLog,
        on_reply: ReplyHandler | None = None,
    ) -> None:
        """Prepare; ``start()`` must run inside the event loop."""
        self.config = config
        self._policy = policy
        self._log = log
        self._on_reply = on_reply
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._in_flight: dict[int, dict[str, Any]] = {}
        self._workers: list[asyncio.Task[None]] = []
        self._session: aiohttp.ClientSession | None = None

    @property
    def pending_count(self) -> int:
        """Updates not yet acknowledged by the webhook."""
        return self._queue.qsize() + len(self._in_flight)

    def start(self) -> None:
        """Open the HTTP session and one worker per allowed connection."""
        connector = aiohttp.TCPConnector(limit=self.config.max_connections)
        self._session = aiohttp.ClientSession(connector=connector)
        self._workers = [
            asyncio.create_task(self._worker(), name=f"standin-webhook-{number}")
            for number in range(self.config.max_connections)
        ]

    def submit(self, update: dict[str, Any]) -> None:
        """Queue an update for delivery."""
        self._queue.put_nowait(update)

    async def stop(self) -> list[dict[str, Any]]:
        """Stop delivering and return the unacknowledged updates in update_id order."""
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []
        left = list(self._in_flight.values())
        self._in_flight.clear()
        while not self._queue.empty():
            left.append(self._queue.get_nowait())
        if self._session is not None:
            await self._session.close()
            self._session = None
        return sorted(left, key=lambda update: int(update["update_id"]))

    async def _worker(self) -> None:
        """Take the next update and deliver it, retrying until the webhook accepts it."""
        while True:
            update = await self._queue.get()
            update_id = int(update["update_id"])
            self._in_flight[update_id] = update
            backoff = self._policy.initial_backoff_s
            attempt = 1
            while not await self._post(update, attempt):
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._policy.max_backoff_s)
                attempt += 1
            del self._in_flight[update_id]

    async def _post(self, update: dict[str, Any], attempt: int) -> bool:
        """POST once; True when the webhook answered 2xx."""
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if self.config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.config.secret_token
        record = DeliveryAttempt(
            int(update["update_id"]), attempt, self.config.url, time.time(), status=None
        )
        self._log.attempts.append(record)
        self._log.active += 1
        self._log.max_active = max(self._log.max_active, self._log.active)
        try:
            timeout = aiohttp.ClientTimeout(total=self._policy.request_timeout_s)
            async with self._session.post(
                self.config.url, data=json.dumps(update), headers=headers, timeout=timeout
            ) as response:
                status = record.status = response.status
                body = await response.read()
        except (aiohttp.ClientError, OSError) as err:  # TimeoutError is an OSError
            record.error = "Read timeout expired" if isinstance(err, TimeoutError) else str(err)
            self._log.failed(record.error or err.__class__.__name__)
            return False
        finally:
            self._log.active -= 1
        if not 200 <= status < 300:
            self._log.failed(f"Wrong response from the webhook: {_status_text(status)}")
            return False
        await self._run_reply(body)
        return True

    async def _run_reply(self, body: bytes) -> None:
        """Execute a method call returned in the webhook's answer, ignoring its outcome."""
        if self._on_reply is None or not body:
            return
        with contextlib.suppress(ValueError):
            payload = json.loads(body)
            if isinstance(payload, dict) and isinstance(payload.get("method"), str):
                await self._on_reply(payload)


def _status_text(status: int) -> str:
    """Telegram reports e.g. "500 Internal Server Error"."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)
