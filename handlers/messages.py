"""Channel-neutral messages: what comes in (Inbound) and what goes out (Reply)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Attachment:
    """A file a participant sent, kept by the platform's reference (e.g. a Telegram file_id)."""

    kind: str
    ref: str
    name: str | None = None


@dataclass(frozen=True)
class Inbound:
    """One event from a participant, already parsed by its bridge.

    `event_id` is the platform's id (or the web chat's client id): the same id
    twice is the same event. `unsupported` names a media type we do not take.
    `message_ref` is the platform's id of the message a pressed button was on, so
    a bridge can edit that message instead of sending a new one.
    """

    channel: str
    user_ref: str
    event_id: str
    text: str | None = None
    action: str | None = None
    attachments: tuple[Attachment, ...] = ()
    locale_hint: str | None = None
    unsupported: str | None = None
    message_ref: str | None = None


@dataclass(frozen=True)
class Button:
    """A choice; `action` is short ASCII so every channel can carry it (Telegram: 64 bytes)."""

    label: str
    action: str


@dataclass(frozen=True)
class Reply:
    """Text (plain, never markup) with optional rows of buttons and an attachment."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: dict[str, Any] | None = None
    edit_previous: bool = field(default=False)

    def to_payload(self) -> dict[str, Any]:
        """The JSON form stored in the outbox."""
        return {
            "text": self.text,
            "buttons": [
                [{"label": b.label, "action": b.action} for b in row] for row in self.buttons
            ],
            "attachment": self.attachment,
            "edit_previous": self.edit_previous,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Reply:
        rows = tuple(
            tuple(Button(str(b["label"]), str(b["action"])) for b in row)
            for row in payload.get("buttons") or []
        )
        return cls(
            text=str(payload.get("text", "")),
            buttons=rows,
            attachment=payload.get("attachment"),
            edit_previous=bool(payload.get("edit_previous", False)),
        )
