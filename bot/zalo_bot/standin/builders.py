"""Updates shaped like the Zalo Bot Platform's (its webhook documentation's sample, field by field).

Ids are 20 hex characters like Zalo's; ``date`` is in milliseconds. Builders return the bare
update (``{"event_name", "message"}``): getUpdates answers it as its ``result``, the webhook
posts it as ``{"ok": true, "result": update}`` (``wrap``).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

_counter = itertools.count(1)


def new_id() -> str:
    """A fresh id in Zalo's style (20 hex characters)."""
    return f"{next(_counter):020x}"


def wrap(update: dict[str, Any]) -> dict[str, Any]:
    """The webhook body for an update."""
    return {"ok": True, "result": update}


def make_message(
    chat_id: str,
    *,
    display_name: str = "Nguyễn Văn A",
    chat_type: str = "PRIVATE",
    sender_id: str | None = None,
    message_id: str | None = None,
    **content: Any,
) -> dict[str, Any]:
    """A message from `sender_id` (the chat itself in a private chat) with `content` fields."""
    return {
        "from": {"id": sender_id or chat_id, "display_name": display_name, "is_bot": False},
        "chat": {"id": chat_id, "chat_type": chat_type},
        **content,
        "message_id": message_id or new_id(),
        "date": int(time.time() * 1000),
    }


def make_update(event_name: str, message: dict[str, Any]) -> dict[str, Any]:
    return {"message": message, "event_name": event_name}


def make_text_update(chat_id: str, text: str, **fields: Any) -> dict[str, Any]:
    return make_update("message.text.received", make_message(chat_id, text=text, **fields))


def make_image_update(
    chat_id: str, photo_url: str, caption: str | None = None, **fields: Any
) -> dict[str, Any]:
    """An image message; the address is in `photo_url` as observed (the docs say `photo`)."""
    content: dict[str, Any] = {"photo_url": photo_url}
    if caption is not None:
        content["caption"] = caption
    return make_update("message.image.received", make_message(chat_id, **content, **fields))


def make_sticker_update(chat_id: str, **fields: Any) -> dict[str, Any]:
    content = {"sticker": "0e078a2fb66a5f34067b",
               "url": "https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=1"}
    return make_update("message.sticker.received", make_message(chat_id, **content, **fields))


def make_unsupported_update(chat_id: str, **fields: Any) -> dict[str, Any]:
    """What Zalo sends instead of the content for protected accounts and unknown types."""
    return make_update("message.unsupported.received", make_message(chat_id, **fields))


def make_group_text_update(
    group_id: str, sender_id: str, text: str, **fields: Any
) -> dict[str, Any]:
    message = make_message(group_id, chat_type="GROUP", sender_id=sender_id, text=text, **fields)
    return make_update("message.text.received", message)
