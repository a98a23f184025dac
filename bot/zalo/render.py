"""Replies as Zalo OA consultation messages: text, and buttons as a button template.

A button is an ``oa.query.hide`` button whose payload is our action string: pressing it
sends that string back as a ``user_send_text`` the citizen does not see in the chat.
The template takes at most 5 buttons with titles of at most 100 characters (payloads
1,000). When a reply has more buttons, or a label too long, its choices become numbered
lines under the text instead and a typed number picks one (`pick`). A message carries at
most 2,000 characters: the flows split long replies already, and the numbered lines may
add a message of their own.
"""

from __future__ import annotations

from typing import Any

from handlers.actions import MAX_ACTION_BYTES
from handlers.paging import split_pages

MAX_TEXT = 2000
MAX_BUTTONS = 5
MAX_TITLE = 100
BUTTON_TYPE = "oa.query.hide"
Message = dict[str, Any]


def choices(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, action) of every button, row by row, left to right."""
    found: list[tuple[str, str]] = []
    for row in payload.get("buttons") or []:
        for button in row:
            action = str(button.get("action") or "")
            if 0 < len(action.encode()) <= MAX_ACTION_BYTES:
                found.append((str(button.get("label") or action).strip() or action, action))
    return found


def is_numbered(payload: dict[str, Any]) -> bool:
    """True when the choices cannot go in a button template and are numbered in the text."""
    found = choices(payload)
    too_long = any(len(label) > MAX_TITLE for label, _ in found)
    return bool(found) and (len(found) > MAX_BUTTONS or too_long)


def render(payload: dict[str, Any]) -> list[Message]:
    """The ``message`` objects to send, in order; the buttons ride on the last one."""
    text = str(payload.get("text") or "").strip() or "…"
    attachment = payload.get("attachment")
    if isinstance(attachment, dict) and str(attachment.get("url", "")).startswith("https://"):
        text = f"{text}\n\n{attachment.get('name') or '📎'}: {attachment['url']}"
    found = choices(payload)
    if is_numbered(payload):
        lines = "\n".join(_numbered(n, label) for n, (label, _) in enumerate(found, start=1))
        text = f"{text}\n\n{lines}"
    messages: list[Message] = [{"text": part} for part in split_pages(text, MAX_TEXT)]
    if found and not is_numbered(payload):
        buttons = [{"type": BUTTON_TYPE, "title": label, "payload": action}
                   for label, action in found]
        messages[-1]["attachment"] = {"type": "template", "payload": {"buttons": buttons}}
    return messages


def _numbered(number: int, label: str) -> str:
    """ "3. Label", unless the label starts with its number already (the menu's do)."""
    return label if label.startswith((f"{number}.", f"{number} ")) else f"{number}. {label}"


def pick(payload: dict[str, Any], typed: str) -> str | None:
    """The action a typed number chooses among the numbered lines of this payload, if any."""
    number = typed.strip().rstrip(".)").strip()
    if not (number.isascii() and number.isdigit() and len(number) <= 3):
        return None
    if not is_numbered(payload):
        return None
    found = choices(payload)
    index = int(number) - 1
    return found[index][1] if 0 <= index < len(found) else None
