"""Replies as Telegram messages: HTML-escaped text and inline keyboards of short actions."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True)
class TelegramMessage:
    """The arguments of one sendMessage/editMessageText call."""

    text: str
    reply_markup: InlineKeyboardMarkup | None
    edit_message_id: int | None


def render(payload: dict[str, Any]) -> TelegramMessage:
    """Escape the plain text for parse_mode HTML and turn buttons into an inline keyboard.

    Texts were already split below Telegram's limit when queued; escaping does not
    change the length Telegram counts (it counts the text after parsing).
    """
    text = html.escape(str(payload.get("text") or "…"), quote=False)
    attachment = payload.get("attachment")
    rows: list[list[InlineKeyboardButton]] = []
    for row in payload.get("buttons") or []:
        buttons = [_button(b) for b in row if _fits(str(b.get("action", "")))]
        if buttons:
            rows.append(buttons)
    if isinstance(attachment, dict) and str(attachment.get("url", "")).startswith("https://"):
        rows.append([InlineKeyboardButton(str(attachment.get("name") or "📎"),
                                          url=str(attachment["url"]))])
    edit = payload.get("edit_ref")
    return TelegramMessage(
        text=text,
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
        edit_message_id=int(edit) if isinstance(edit, str) and edit.isdigit() else None,
    )


def _fits(action: str) -> bool:
    """callback_data must be 1-64 bytes: our actions are short ASCII ids, never labels."""
    return 0 < len(action.encode()) <= MAX_CALLBACK_BYTES


def _button(button: dict[str, Any]) -> InlineKeyboardButton:
    return InlineKeyboardButton(str(button.get("label", "")), callback_data=str(button["action"]))
