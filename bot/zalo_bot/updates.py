"""Zalo Bot updates as our channel-neutral events: the only place that reads their shape.

An update is `{"event_name": "message.text.received", "message": {"message_id",
"from": {"id", "display_name", "is_bot"}, "chat": {"id", "chat_type"}, "date",
"text" | "photo_url"/"photo" + "caption" | "sticker" + "url"}}`. The webhook wraps
it in `{"ok": true, "result": ...}`; getUpdates returns it as its `result`. There is
no update id: the event name and the message id together name an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.messages import Attachment, Inbound
from handlers.staff import StaffMessage

CHANNEL = "zalo_bot"
TEXT, IMAGE = "message.text.received", "message.image.received"
STICKER, UNSUPPORTED = "message.sticker.received", "message.unsupported.received"
MAX_ID_CHARS = 64
# The same typed commands as on Telegram, for people who try them.
COMMAND_ACTIONS = {"/start": "start", "/menu": "menu", "/help": "help", "/drafts": "rounds",
                   "/mine": "mine", "/privacy": "privacy", "/follow": "follow", "/ask": "ask",
                   "/comment": "comment", "/language": "lang"}
# Media kinds the catalog names (media.<kind>); anything else is "other".
MEDIA_KINDS = ("voice", "audio", "sticker", "gif", "video", "location", "contact")
_KIND_WORDS = {"image": "other", "file": "other", "link": "other", "animation": "gif",
               "business_card": "contact", "card": "contact"}


class MalformedUpdate(ValueError):
    """JSON, but not an update Zalo would send; answered 400, never retried into a loop."""


@dataclass(frozen=True)
class Meaning:
    """Staff work, a citizen event, or both (staff first); `ignored` says why neither."""

    staff: StaffMessage | None = None
    citizen: Inbound | None = None
    ignored: str | None = None


@dataclass(frozen=True)
class _Origin:
    event_id: str
    chat_ref: str
    sender_ref: str
    is_group: bool


def unwrap(body: Any) -> dict[str, Any]:
    """The update in a webhook body: `{"ok": true, "result": {...}}`, or the bare update."""
    if not isinstance(body, dict):
        raise MalformedUpdate("body is not an object")
    update = body.get("result") if body.get("ok") is True else body
    if not isinstance(update, dict) or not isinstance(update.get("event_name"), str):
        raise MalformedUpdate("no event_name")
    return update


def classify(update: dict[str, Any]) -> Meaning:
    event = update.get("event_name")
    if not isinstance(event, str) or not 0 < len(event) <= MAX_ID_CHARS:
        raise MalformedUpdate("no event_name, or an implausible one")
    message = update.get("message")
    if message is None:
        return Meaning(ignored=f"{event} carries no message")
    origin = _origin(event, message)
    sender = message.get("from")
    if isinstance(sender, dict) and sender.get("is_bot") is True:
        return Meaning(ignored="message from a bot")
    staff = _staff(origin, message) if event == TEXT else None
    if origin.is_group:
        return Meaning(staff=staff) if staff else Meaning(ignored="group message, no command")
    return Meaning(staff=staff, citizen=_citizen(origin, event, message))


def _origin(event: str, message: Any) -> _Origin:
    """Who wrote where, and the event id; MalformedUpdate when any of it is missing."""
    if not isinstance(message, dict):
        raise MalformedUpdate("message is not an object")
    chat, sender = message.get("chat"), message.get("from")
    message_id = _ref(message.get("message_id"))
    chat_id = _ref(chat.get("id")) if isinstance(chat, dict) else None
    sender_id = _ref(sender.get("id")) if isinstance(sender, dict) else None
    if message_id is None or chat_id is None:
        raise MalformedUpdate("message without message_id or chat.id")
    is_group = isinstance(chat, dict) and chat.get("chat_type") == "GROUP"
    return _Origin(f"{event}:{message_id}", chat_id, sender_id or chat_id, is_group)


def _ref(value: object) -> str | None:
    """A platform id as a string: non-empty and short, or None."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text if 0 < len(text) <= MAX_ID_CHARS else None


def _citizen(origin: _Origin, event: str, message: dict[str, Any]) -> Inbound:
    """A private message as a citizen event: commands become actions, photos attachments."""
    if event == TEXT:
        text = message.get("text")
        text = text if isinstance(text, str) else ""
        command = text.strip().split()[0].split("@")[0].lower() if text.startswith("/") else ""
        if command in COMMAND_ACTIONS:
            return _inbound(origin, action=COMMAND_ACTIONS[command])
        return _inbound(origin, text=text)
    if event == IMAGE and (url := _photo_url(message)) is not None:
        caption = message.get("caption")
        return _inbound(origin, text=caption if isinstance(caption, str) else None,
                        attachments=(Attachment("photo", url),))
    return _inbound(origin, unsupported=_media_kind(event, message))


def _photo_url(message: dict[str, Any]) -> str | None:
    """The image's address: `photo_url` as observed, `photo` as documented, or `url`."""
    for key in ("photo_url", "photo", "url"):
        value = message.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:1000]
    return None


def _media_kind(event: str, message: dict[str, Any]) -> str:
    """The catalog's name for what we cannot take, from the event name or message_type."""
    if event == STICKER:
        return "sticker"
    if event == UNSUPPORTED:
        hint = message.get("message_type")
        word = hint.lower() if isinstance(hint, str) else ""
    else:  # an event name we do not know yet, such as message.video.received
        parts = event.split(".")
        word = parts[1].lower() if len(parts) == 3 else ""
    word = _KIND_WORDS.get(word, word)
    return word if word in MEDIA_KINDS else "other"


def _inbound(origin: _Origin, **fields: Any) -> Inbound:
    return Inbound(channel=CHANNEL, user_ref=origin.chat_ref, event_id=origin.event_id, **fields)


def _staff(origin: _Origin, message: dict[str, Any]) -> StaffMessage | None:
    """A slash command that is not a citizen command (in a private chat): maybe staff work."""
    text = message.get("text")
    if not isinstance(text, str) or not text.startswith("/"):
        return None
    command = text.split()[0].split("@")[0].lower()
    if command in COMMAND_ACTIONS and not origin.is_group:
        return None
    return StaffMessage(
        channel=CHANNEL, event_id=origin.event_id, sender_ref=origin.sender_ref,
        chat_ref=origin.chat_ref, is_group=origin.is_group, text=text,
    )
