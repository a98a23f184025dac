"""Webhook event payloads in the shapes Zalo documents for OA webhooks.

Ids and timestamps are strings, timestamps in milliseconds; the user is ``sender.id``
(``follower.id`` for follow/unfollow), the OA is ``recipient.id`` (``oa_id``).
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable
from typing import Any

Event = dict[str, Any]
_counter = itertools.count(1)


def real_now_ms() -> int:
    return int(time.time() * 1000)


class Events:
    """Builds one OA's events; `now_ms` sets their timestamps (a test's clock, or real time)."""

    def __init__(self, app_id: str, oa_id: str, now_ms: Callable[[], int] = real_now_ms) -> None:
        self.app_id, self.oa_id, self.now_ms = app_id, oa_id, now_ms

    def _base(self, name: str, user: str, timestamp_ms: int | None) -> Event:
        return {
            "app_id": self.app_id,
            "user_id_by_app": f"55{user}",
            "event_name": name,
            "timestamp": str(timestamp_ms if timestamp_ms is not None else self.now_ms()),
        }

    def message(
        self, name: str, user: str, *, text: str | None = None,
        attachments: list[dict[str, Any]] | None = None, msg_id: str | None = None,
        timestamp_ms: int | None = None,
    ) -> Event:
        """Any user_send_* event: the user writes to the OA."""
        message: dict[str, Any] = {"msg_id": msg_id or new_msg_id()}
        if text is not None:
            message["text"] = text
        if attachments is not None:
            message["attachments"] = attachments
        return {**self._base(name, user, timestamp_ms), "sender": {"id": user},
                "recipient": {"id": self.oa_id}, "message": message}

    def text(self, user: str, text: str, **options: Any) -> Event:
        return self.message("user_send_text", user, text=text, **options)

    def image(self, user: str, url: str, *, caption: str | None = None, **options: Any) -> Event:
        item = {"type": "image", "payload": {"thumbnail": url, "url": url}}
        return self.message("user_send_image", user, text=caption, attachments=[item], **options)

    def file(self, user: str, url: str, name: str, **options: Any) -> Event:
        item = {"type": "file", "payload": {"url": url, "name": name, "size": "20480",
                                             "checksum": secrets.token_hex(8), "type": "pdf"}}
        return self.message("user_send_file", user, attachments=[item], **options)

    def media(self, kind: str, user: str, **options: Any) -> Event:
        """user_send_sticker, _gif, _audio, _video, _location, _link, _business_card."""
        payload: dict[str, Any] = {"url": f"https://zalo.example/{kind}/{new_msg_id()}"}
        if kind == "location":
            payload = {"coordinates": {"latitude": "21.0285", "longitude": "105.8542"}}
        name = f"user_send_{kind}"
        text = payload.get("url") if kind == "link" else None
        attachments = [{"type": kind, "payload": payload}]
        return self.message(name, user, text=text, attachments=attachments, **options)

    def follow(self, user: str, *, timestamp_ms: int | None = None) -> Event:
        return {**self._base("follow", user, timestamp_ms), "oa_id": self.oa_id,
                "follower": {"id": user}, "source": "oa_profile"}

    def unfollow(self, user: str, *, timestamp_ms: int | None = None) -> Event:
        return {**self._base("unfollow", user, timestamp_ms), "oa_id": self.oa_id,
                "follower": {"id": user}, "source": "oa_profile"}

    def submit_info(self, user: str, info: dict[str, str], **options: Any) -> Event:
        return {**self._base("user_submit_info", user, options.get("timestamp_ms")),
                "sender": {"id": user}, "recipient": {"id": self.oa_id}, "info": info}

    def oa_echo(self, user: str, text: str, *, timestamp_ms: int | None = None) -> Event:
        """oa_send_text: Zalo tells the OA about a message the OA itself sent."""
        return {**self._base("oa_send_text", user, timestamp_ms), "sender": {"id": self.oa_id},
                "recipient": {"id": user}, "message": {"text": text, "msg_id": new_msg_id()}}

    def seen(self, user: str, msg_ids: list[str], *, timestamp_ms: int | None = None) -> Event:
        return {**self._base("user_seen_message", user, timestamp_ms),
                "sender": {"id": self.oa_id}, "recipient": {"id": user},
                "message": {"msg_ids": msg_ids}}


def new_msg_id() -> str:
    """Zalo message ids are 32 hex characters or so; unique within a run."""
    return f"{next(_counter):08x}{secrets.token_hex(12)}"
