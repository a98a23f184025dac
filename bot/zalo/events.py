"""Zalo OA webhook events as our channel-neutral ones: the only place that reads their shape.

Zalo sends ids and timestamps as strings (timestamps in milliseconds). The user is
``sender.id`` (``follower.id`` for follow/unfollow): the id by OA, the one the send API
takes as ``recipient.user_id``. A pressed button (``oa.query.hide``) comes back as a
``user_send_text`` whose text is the button's payload: our action string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers import actions
from handlers.messages import Attachment, Inbound
from handlers.staff import StaffMessage

CHANNEL = "zalo"
MAX_ID = 64  # Zalo's user ids are about 19 digits
# Events that are ours to answer, by the kind the text catalog names (media.<kind>).
UNSUPPORTED = {
    "user_send_sticker": "sticker",
    "user_send_gif": "gif",
    "user_send_audio": "voice",  # Zalo's audio messages are voice recordings
    "user_send_video": "video",
    "user_send_location": "location",
    "user_send_business_card": "contact",
    "user_submit_info": "shared_info",
}
KEPT_FILES = {"user_send_image": "photo", "user_send_file": "document"}
# The OA's own messages echoed back, delivery and read receipts, reactions: nothing to do.
IGNORED_PREFIXES = ("oa_send_", "oa_reacted_")
IGNORED = {"user_received_message", "user_seen_message", "user_reacted_message"}


class BadEvent(ValueError):
    """A signed body that is no event we can handle (no name, no sender): answered 400."""


@dataclass(frozen=True)
class ZaloEvent:
    """What every event carries: its name, its id for deduplication, who and when."""

    name: str
    event_id: str
    user: str | None
    timestamp_ms: int | None

    @property
    def from_user(self) -> bool:
        """The user did something: this opens Zalo's 7-day window again."""
        acted = self.name.startswith("user_") or self.name == "follow"
        return self.user is not None and acted and not self.ignored

    @property
    def ignored(self) -> bool:
        return self.name in IGNORED or self.name.startswith(IGNORED_PREFIXES)

    @property
    def actionable(self) -> bool:
        """Ours to handle: what a user did. Anything else Zalo sends is acknowledged only."""
        return self.from_user or (self.name == "unfollow" and self.user is not None)


@dataclass(frozen=True)
class Meaning:
    """What to do with an event: staff work first, then the citizen flow; or leave them."""

    citizen: Inbound | None = None
    staff: StaffMessage | None = None
    unfollow: bool = False


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _user_of(payload: dict[str, Any], name: str) -> str | None:
    holder = payload.get("follower" if name in ("follow", "unfollow") else "sender")
    user = holder.get("id") if isinstance(holder, dict) else None
    return str(user) if isinstance(user, str | int) and str(user).strip() else None


def read(payload: dict[str, Any]) -> ZaloEvent:
    """The envelope of an event; BadEvent when it has no name or a user event has no sender."""
    name = _text(payload.get("event_name"))
    if not name:
        raise BadEvent("no event_name")
    user = _user_of(payload, name)
    needs_user = name.startswith("user_") or name in ("follow", "unfollow")
    if user is None and needs_user and name not in IGNORED:
        raise BadEvent(f"{name} without a sender")
    if user is not None and len(user) > MAX_ID:
        raise BadEvent(f"{name} with a sender id of {len(user)} characters")
    stamp = str(payload.get("timestamp") or "")
    message = payload.get("message")
    msg_id = _text(message.get("msg_id")) if isinstance(message, dict) else None
    event_id = msg_id or f"{name}:{user}:{stamp}"
    return ZaloEvent(name, event_id[:128], user, _milliseconds(stamp))


def _milliseconds(stamp: str) -> int | None:
    """Zalo's timestamps are milliseconds; one in seconds (before 1973 as ms) is scaled."""
    if not (stamp.isascii() and stamp.isdigit()):
        return None
    value = int(stamp)
    return value * 1000 if value < 100_000_000_000 else value


def handling_id(event: ZaloEvent) -> str:
    """The id the flows record for this event: its arrival record already took the plain one."""
    return f"h:{event.event_id}"[:128]


def classify(event: ZaloEvent, payload: dict[str, Any]) -> Meaning:
    """The citizen event (and possible staff command) an event stands for."""
    if event.ignored or event.user is None:
        return Meaning()
    if event.name == "unfollow":
        return Meaning(unfollow=True)
    if event.name == "follow":
        return Meaning(citizen=_inbound(event, action="start"))
    message = payload.get("message")
    message = message if isinstance(message, dict) else {}
    if event.name in ("user_send_text", "user_send_link"):
        return _text_meaning(event, message)
    if event.name in KEPT_FILES:
        return Meaning(citizen=_files(event, message, KEPT_FILES[event.name]))
    kind = UNSUPPORTED.get(event.name, "other" if event.name.startswith("user_") else None)
    return Meaning(citizen=_inbound(event, unsupported=kind)) if kind else Meaning()


def _text_meaning(event: ZaloEvent, message: dict[str, Any]) -> Meaning:
    """Typed text, a link, or a pressed button's payload (one of our action strings)."""
    text = _text(message.get("text")) or _link_url(message)
    if not text or not text.strip():
        return Meaning(citizen=_inbound(event, unsupported="other"))
    if actions.parse(text.strip()) is not None:
        return Meaning(citizen=_inbound(event, action=text.strip()))
    staff = None
    if text.startswith("/"):
        assert event.user is not None
        staff = StaffMessage(
            channel=CHANNEL, event_id=handling_id(event), sender_ref=event.user,
            chat_ref=event.user, is_group=False, text=text,
        )
    return Meaning(citizen=_inbound(event, text=text), staff=staff)


def _link_url(message: dict[str, Any]) -> str | None:
    for item in message.get("attachments") or []:
        payload = item.get("payload") if isinstance(item, dict) else None
        if isinstance(payload, dict) and _text(payload.get("url")):
            return str(payload["url"])
    return None


def _files(event: ZaloEvent, message: dict[str, Any], kind: str) -> Inbound:
    """Images and files are kept by URL with the comment they come with."""
    found: list[Attachment] = []
    for item in message.get("attachments") or []:
        payload = item.get("payload") if isinstance(item, dict) else None
        url = _text(payload.get("url")) if isinstance(payload, dict) else None
        if url and url.startswith(("https://", "http://")):
            assert isinstance(payload, dict)
            found.append(Attachment(kind, url[:1000], _text(payload.get("name"))))
    if not found:
        return _inbound(event, unsupported="other")
    return _inbound(event, text=_text(message.get("text")), attachments=tuple(found[:10]))


def _inbound(event: ZaloEvent, **fields: Any) -> Inbound:
    assert event.user is not None
    return Inbound(channel=CHANNEL, user_ref=event.user, event_id=handling_id(event), **fields)
