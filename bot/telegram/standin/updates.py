"""Update delivery: the getUpdates queue with long polling, and the switch to webhooks.

Semantics follow the Bot API: updates stay queued until a getUpdates call with a higher
``offset`` confirms them; a getUpdates call that overlaps another terminates the older one with
409; getUpdates is refused (409) while a webhook is set; setting/deleting a webhook carries the
undelivered updates over unless ``drop_pending_updates`` is true.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from .messages import Handler
from .protocol import ApiError, Described, Params, bad_request
from .state import StandinState
from .webhook import DeliveryLog, DeliveryPolicy, ReplyHandler, WebhookConfig, WebhookDeliverer

__all__ = ["UpdateHub"]

_DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TERMINATED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")


def _allowed(update: dict[str, Any], allowed: list[str] | None) -> bool:
    """Telegram's filter: an empty/unset list means all but the opt-in update types."""
    kind = next((key for key in update if key != "update_id"), "")
    return kind in allowed if allowed else kind not in _DEFAULT_EXCLUDED


class UpdateHub:
    """Owns pending updates, the active long poll and the webhook deliverer."""

    def __init__(
        self,
        state: StandinState,
        policy: DeliveryPolicy,
        stopping: asyncio.Event,
        on_reply: ReplyHandler | None = None,
    ) -> None:
        """Start with no webhook and an empty queue."""
        self._state = state
        self._policy = policy
        self._stopping = stopping
        self._on_reply = on_reply
        self._pending: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._poll_waker: asyncio.Future[str] | None = None
        self._deliverer: WebhookDeliverer | None = None
        self.allowed_updates: list[str] | None = None
        self.deliveries = DeliveryLog()

    def _wake_poll(self, reason: str) -> None:
        """Wake the active long poll: new update, termination, webhook set, or shutdown."""
        waker = self._poll_waker
        if waker is not None and not waker.done():
            waker.set_result(reason)

    def _index(self, update: dict[str, Any]) -> None:
        """Learn chats/messages/files from an update; fill callback messages from the store."""
        for kind in _MESSAGE_KINDS:
            if isinstance(update.get(kind), dict):
                self._state.remember_message(update[kind])
        query = update.get("callback_query")
        if isinstance(query, dict):
            self._state.open_callback_queries.add(str(query.get("id")))
            message = query.get("message")
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                key = (message["chat"].get("id"), message.get("message_id", 0))
                stored = self._state.messages.get(key)
                if stored is not None:
                    query["message"] = dict(stored)

    def inject(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue (or deliver to the webhook) an update; assigns update_id when absent."""
        given = update.get("update_id")
        update_id = given if isinstance(given, int) else self._next_update_id
        update = {"update_id": update_id} | {k: v for k, v in update.items() if k != "update_id"}
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._index(update)
        if self._deliverer is not None:
            if _allowed(update, self.allowed_updates):
                self._deliverer.submit(update)
        else:
            self._pending.append(update)
            self._wake_poll("update")
        return update

    def _confirm(self, offset: int | None) -> None:
        """Forget updates below a positive offset, or all but the last -offset ones."""
        if offset is None or offset == 0:
            return
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        else:
            self._pending = self._pending[offset:]

    def _take(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` pending updates of allowed types (others are discarded)."""
        self._pending = [u for u in self._pending if _allowed(u, self.allowed_updates)]
        return [dict(update) for update in self._pending[:limit]]

    async def get_updates(self, params: Params) -> Any:
        """getUpdates with long polling; an overlapping call terminates this one (409)."""
        if self._deliverer is not None:
            raise ApiError(409, _WEBHOOK_ACTIVE)
        offset = params.get_int("offset")
        limit = min(max(params.get_int("limit") or 100, 1), 100)
        timeout = max(params.get_float("timeout", 0.0), 0.0)
        allowed = params.get_json("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(kind) for kind in allowed]
        self._wake_poll("terminated")
        loop = asyncio.get_running_loop()
        waker: asyncio.Future[str] = loop.create_future()
        self._poll_waker = waker
        deadline = loop.time() + timeout
        try:
            while True:
                self._confirm(offset)
                offset = None
                batch = self._take(limit)
                remaining = deadline - loop.time()
                if batch or remaining <= 0 or self._stopping.is_set():
                    return batch
                await asyncio.wait([waker], timeout=remaining)
                reason = waker.result() if waker.done() else "timeout"
                if reason == "terminated":
                    raise ApiError(409, _TERMINATED)
                if reason == "webhook":
                    raise ApiError(409, _WEBHOOK_ACTIVE)
                if reason != "update":
                    return self._take(limit)
                waker = self._poll_waker = loop.create_future()
        finally:
            if self._poll_waker is waker:
                self._poll_waker = None

    def _webhook_config(self, params: Params, url: str) -> WebhookConfig:
        """Validate setWebhook's parameters."""
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get_str("secret_token")
        if secret is not None and not _SECRET.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        allowed = params.get_json("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(kind) for kind in allowed]
        return WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=min(max(params.get_int("max_connections") or 40, 1), 100),
            allowed_updates=self.allowed_updates,
            ip_address=params.get_str("ip_address"),
        )

    async def _detach_webhook(self) -> list[dict[str, Any]]:
        """Stop the current deliverer; return what it had not delivered."""
        deliverer, self._deliverer = self._deliverer, None
        return await deliverer.stop() if deliverer is not None else []

    async def set_webhook(self, params: Params) -> Any:
        """setWebhook: switch delivery to the URL (an empty URL removes the webhook)."""
        url = params.get_str("url") or ""
        if not url:
            await self.delete_webhook(params)
            return Described(True, "Webhook was deleted")
        config = self._webhook_config(params, url)
        carried = await self._detach_webhook() + self._pending
        self._pending = []
        if params.get_bool("drop_pending_updates"):
            carried = []
        self._wake_poll("webhook")
        self._deliverer = WebhookDeliverer(config, self._policy, self.deliveries, self._on_reply)
        self._deliverer.start()
        for update in sorted(carried, key=lambda u: int(u["update_id"])):
            if _allowed(update, self.allowed_updates):
                self._deliverer.submit(update)
        return Described(True, "Webhook was set")

    async def delete_webhook(self, params: Params) -> Any:
        """deleteWebhook: undelivered updates return to the getUpdates queue unless dropped."""
        had_webhook = self._deliverer is not None
        left = await self._detach_webhook()
        if params.get_bool("drop_pending_updates"):
            self._pending = []
        else:
            self._pending = sorted(left + self._pending, key=lambda u: int(u["update_id"]))
        description = "Webhook was deleted" if had_webhook else "Webhook is already deleted"
        return Described(True, description)

    async def get_webhook_info(self, params: Params) -> Any:
        """getWebhookInfo: URL, pending count, limits and the last delivery error."""
        deliverer = self._deliverer
        if deliverer is None:
            pending = len(self._pending)
            return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}
        info: dict[str, Any] = {
            "url": deliverer.config.url,
            "has_custom_certificate": False,
            "pending_update_count": deliverer.pending_count,
            "max_connections": deliverer.config.max_connections,
        }
        if deliverer.config.allowed_updates:
            info["allowed_updates"] = deliverer.config.allowed_updates
        if deliverer.config.ip_address:
            info["ip_address"] = deliverer.config.ip_address
        if self.deliveries.last_error_date is not None:
            info["last_error_date"] = self.deliveries.last_error_date
            info["last_error_message"] = self.deliveries.last_error_message
        return info

    async def stop(self) -> None:
        """Release the long poll and stop webhook delivery (updates stay queued)."""
        self._wake_poll("stop")
        self._pending = sorted(
            await self._detach_webhook() + self._pending, key=lambda u: int(u["update_id"])
        )

    def handlers(self) -> dict[str, Handler]:
        """Method name → handler for the update methods."""
        return {
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
        }
