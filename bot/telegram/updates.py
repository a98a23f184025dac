"""Telegram updates as our channel-neutral events: the only place that reads their shape."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Message, Update
from telegram.constants import ChatType

from handlers.messages import Attachment, Inbound
from handlers.staff import StaffMessage

CHANNEL = "telegram"
DEEP_LINK = re.compile(r"/start(?:@\w+)?\s+r(\d{1,9})\s*$")
START = re.compile(r"/start(?:@\w+)?(?:\s.*)?$", re.DOTALL)
COMMAND_ACTIONS = {"/menu": "menu", "/help": "help", "/drafts": "rounds", "/mine": "mine",
                   "/privacy": "privacy", "/follow": "follow", "/ask": "ask",
                   "/comment": "comment", "/language": "lang"}
# Message kinds we cannot take, named as the text catalog names them (media.<kind>).
UNSUPPORTED = (
    ("voice", "voice"), ("audio", "audio"), ("sticker", "sticker"), ("animation", "gif"),
    ("video", "video"), ("video_note", "video"), ("location", "location"),
    ("venue", "location"), ("contact", "contact"),
)


class MalformedUpdate(ValueError):
    """The body is JSON but not an update; answered 400, never retried into a loop."""


@dataclass(frozen=True)
class Meaning:
    """What an update may be: staff work, a citizen event, or both (staff first).

    A linked staff member's `/answer` in a private chat is staff work; the same
    text from anyone else falls back to the citizen conversation. `ignored` says
    why an update is dropped (channel posts, membership changes, group chatter).
    """

    staff: StaffMessage | None = None
    citizen: Inbound | None = None
    ignored: str | None = None


def event_id(update: Update) -> str:
    return str(update.update_id)


def classify(update: Update, bot_id: int) -> Meaning:
    if update.callback_query is not None:
        return _callback(update)
    message = update.message
    if message is None:
        if update.edited_message is not None and _private(update.edited_message):
            return Meaning(citizen=_inbound(update, update.edited_message, unsupported="edited"))
        return Meaning(ignored="update type not handled")
    staff = _staff(update, message, bot_id)
    if not _private(message):
        return Meaning(staff=staff) if staff else Meaning(ignored="group message, no command")
    return Meaning(staff=staff, citizen=_message(update, message))


def _private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


def _callback(update: Update) -> Meaning:
    query = update.callback_query
    assert query is not None
    message = query.message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return Meaning(ignored="callback outside a private chat")
    return Meaning(citizen=Inbound(
        channel=CHANNEL, user_ref=str(message.chat.id), event_id=event_id(update),
        action=query.data or "", locale_hint=query.from_user.language_code,
        message_ref=str(message.message_id),
    ))


def _message(update: Update, message: Message) -> Inbound:
    """A private message as a citizen event: deep links and /commands become actions."""
    text = message.text or message.caption
    if text is not None:
        if (link := DEEP_LINK.match(text)) is not None:
            return _inbound(update, message, action=f"r:{link.group(1)}")
        if START.match(text):
            return _inbound(update, message, action="start")
        command = text.split()[0].split("@")[0].lower() if text.startswith("/") else ""
        if command in COMMAND_ACTIONS:
            return _inbound(update, message, action=COMMAND_ACTIONS[command])
    attachments = _attachments(message)
    if text is None and not attachments:
        kind = next((name for attr, name in UNSUPPORTED if getattr(message, attr)), "other")
        return _inbound(update, message, unsupported=kind)
    return _inbound(update, message, text=text, attachments=attachments)


def _attachments(message: Message) -> tuple[Attachment, ...]:
    """Photos (the largest size) and documents, kept by file_id as Telegram stores them."""
    if message.photo:
        return (Attachment("photo", message.photo[-1].file_id),)
    if message.document is not None:
        return (Attachment("document", message.document.file_id, message.document.file_name),)
    return ()


def _inbound(update: Update, message: Message, **fields: object) -> Inbound:
    user = message.from_user
    return Inbound(
        channel=CHANNEL, user_ref=str(message.chat.id), event_id=event_id(update),
        locale_hint=user.language_code if user else None, **fields,  # type: ignore[arg-type]
    )


def _staff(update: Update, message: Message, bot_id: int) -> StaffMessage | None:
    """A command or a reply to one of our notifications: maybe staff work."""
    text = message.text or ""
    replied = message.reply_to_message
    ours = replied is not None and replied.from_user is not None and replied.from_user.id == bot_id
    command = text.split()[0].split("@")[0].lower() if text.startswith("/") else ""
    citizen_command = command in COMMAND_ACTIONS or command == "/start"
    if (not command and not ours) or (citizen_command and _private(message)):
        return None
    if message.from_user is None:
        return None
    return StaffMessage(
        channel=CHANNEL, event_id=event_id(update), sender_ref=str(message.from_user.id),
        chat_ref=str(message.chat.id), is_group=not _private(message), text=text,
        reply_to_text=(replied.text if ours and replied is not None else None),
        locale_hint=message.from_user.language_code,
    )
