"""Where injected updates go: to the webhook when one is set, else to getUpdates.

getUpdates hands out one update per call and answers error_code 408 when none came
within its ``timeout`` (a string of seconds, 30 by default). It is refused while a
webhook is set, as the documentation says ("getUpdates will not work if a webhook is
set"); the error for that is not documented, the stand-in uses 400.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import web

from .delivery import DeliveryAttempt, DeliveryPolicy, WebhookDeliverer
from .methods import Method, Refusal, required
from .state import UpdateQueue

DEFAULT_POLL_S = 30.0
MAX_POLL_S = 60.0
SECRET_CHARS = (8, 256)


class UpdateHub:
    """Updates in, by webhook or long polling; the webhook configuration."""

    def __init__(self, policy: DeliveryPolicy, stopping: asyncio.Event) -> None:
        self.policy = policy
        self.queue = UpdateQueue()
        self.attempts: list[DeliveryAttempt] = []
        self.webhook_url = ""
        self.updated_at = 0
        self._deliverer: WebhookDeliverer | None = None
        self._stopping = stopping

    def handlers(self) -> dict[str, Method]:
        return {"getUpdates": self.get_updates, "setWebhook": self.set_webhook,
                "deleteWebhook": self.delete_webhook, "getWebhookInfo": self.get_webhook_info}

    def inject(self, update: dict[str, Any]) -> None:
        """An update from a user, delivered the way the bot asked for."""
        if self._deliverer is not None:
            self._deliverer.submit(update)
        else:
            self.queue.put(update)

    async def stop(self) -> None:
        self.queue.wake()
        await self._drop_webhook()

    async def get_updates(self, params: dict[str, Any], request: web.Request) -> Any:
        if self._deliverer is not None:
            raise Refusal(400, "Bad request: webhook is active, call deleteWebhook first")
        deadline = time.monotonic() + _seconds(params.get("timeout"))
        while not self.queue.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._stopping.is_set() or _gone(request):
                raise Refusal(408, "Request timeout")
            await self.queue.wait(remaining)
        if _gone(request):  # the client left: keep the update for its next poll
            raise Refusal(408, "Request timeout")
        return self.queue.pending.popleft()

    async def set_webhook(self, params: dict[str, Any], _request: web.Request) -> Any:
        url = required(params, "url")
        secret = required(params, "secret_token")
        if not url.startswith(("https://", "http://")):
            raise Refusal(400, "Bad request: url must be an HTTPS URL")
        if not SECRET_CHARS[0] <= len(secret) <= SECRET_CHARS[1]:
            raise Refusal(400, "Bad request: secret_token must be 8-256 characters")
        await self._drop_webhook()
        self._deliverer = WebhookDeliverer(url, secret, self.policy, self.attempts)
        self._deliverer.start()
        for update in list(self.queue.pending):  # what waited for a poll goes to the webhook
            self._deliverer.submit(update)
        self.queue.pending.clear()
        return self._touch(url)

    async def delete_webhook(self, _params: dict[str, Any], _request: web.Request) -> Any:
        await self._drop_webhook()
        return self._touch("")

    async def get_webhook_info(self, _params: dict[str, Any], _request: web.Request) -> Any:
        return {"url": self.webhook_url, "updated_at": self.updated_at}

    async def _drop_webhook(self) -> None:
        """Stop delivering; updates not yet acknowledged wait for getUpdates instead."""
        deliverer, self._deliverer = self._deliverer, None
        if deliverer is not None:
            for update in await deliverer.stop():
                self.queue.put(update)

    def _touch(self, url: str) -> dict[str, Any]:
        self.webhook_url, self.updated_at = url, int(time.time() * 1000)
        return {"url": url, "updated_at": self.updated_at}


def _seconds(value: object) -> float:
    """getUpdates' timeout parameter (a string per the docs, a number from some clients)."""
    try:
        seconds = float(value) if isinstance(value, (int, float, str)) else DEFAULT_POLL_S
    except ValueError:
        raise Refusal(400, "Bad request: timeout must be a number of seconds") from None
    return min(max(seconds, 0.0), MAX_POLL_S)


def _gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()
