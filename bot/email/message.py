"""Turning an outbox payload into a MIME message: plain text, an HTML alternative, a file."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from bot.outbox.sender import Delivery

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DEFAULT_SUBJECT = "consultbot"


def build_message(
    delivery: Delivery, sender: str, attachment: tuple[str, bytes] | None = None
) -> EmailMessage:
    """multipart/mixed( multipart/alternative(text, html), file ) as mail clients expect.

    The Message-ID is derived from the outbox row, so a resend after an ambiguous
    time-out carries the same id and receiving servers and clients can drop the copy.
    """
    payload: dict[str, Any] = delivery.payload
    message = EmailMessage()
    message["From"] = sender
    message["To"] = delivery.recipient
    message["Subject"] = str(payload.get("subject") or DEFAULT_SUBJECT)
    tag = hashlib.sha256(delivery.recipient.encode()).hexdigest()[:10]
    message["Message-ID"] = f"<consultbot.{delivery.outbox_id}.{tag}@{_domain(sender)}>"
    message["Date"] = formatdate(usegmt=True)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(str(payload.get("text") or ""), subtype="plain", charset="utf-8")
    if payload.get("html"):
        message.add_alternative(str(payload["html"]), subtype="html", charset="utf-8")
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return message


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip(" >") or "localhost"
