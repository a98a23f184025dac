"""Sends outbox rows of channel "email" over SMTP and says what happened in the dispatcher's
terms: 4xx replies and lost connections are retried, 5xx replies are final, 421 (the
server is busy) holds the whole channel for a minute."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiosmtplib

from bot.email.message import build_message
from bot.outbox.sender import ChannelLimits, Delivery, SendResult, SendStatus

log = logging.getLogger(__name__)
CHANNEL = "email"
# Gentle on the provincial mail server: 2 messages a second, one every 5 s per address.
EMAIL_LIMITS = ChannelLimits(
    overall_per_second=2,
    per_chat_per_second=0.2,
    per_chat_burst=3,
    group_per_minute=None,
    broadcast_per_second=None,
)
BUSY_HOLD_SECONDS = 60.0
Attachments = Callable[[dict[str, object]], Awaitable[tuple[str, bytes] | None]]


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to hand mail over; port 465 means TLS from the start (SMTPS)."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout: float = 60.0

    @property
    def implicit_tls(self) -> bool:
        return self.port == 465


class EmailSender:
    """The dispatcher's sender for channel "email"; `attachments` fetches a payload's file."""

    channel = CHANNEL
    limits = EMAIL_LIMITS

    def __init__(self, config: SmtpConfig, attachments: Attachments) -> None:
        self.config = config
        self._attachments = attachments

    def is_group(self, recipient: str) -> bool:
        return False

    async def send(self, delivery: Delivery) -> SendResult:
        attachment = delivery.payload.get("attachment")
        file = await self._attachments(attachment) if isinstance(attachment, dict) else None
        message = build_message(delivery, self.config.sender, file)
        config = self.config
        try:
            await aiosmtplib.send(
                message,
                hostname=config.host,
                port=config.port,
                username=config.username,
                password=config.password,
                use_tls=config.implicit_tls,
                start_tls=False if config.implicit_tls else config.starttls,
                timeout=config.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refused.code for refused in error.recipients]
            return _by_code(min(codes) if codes else 550, "recipient refused")
        except aiosmtplib.SMTPTimeoutError:
            return SendResult(SendStatus.RETRY, error="smtp timeout", ambiguous=True)
        except aiosmtplib.SMTPResponseException as error:
            return _by_code(error.code, type(error).__name__)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            return SendResult(SendStatus.RETRY, error=f"smtp {type(error).__name__}")
        return SendResult(SendStatus.SENT)


def _by_code(code: int, what: str) -> SendResult:
    """An SMTP reply code in the dispatcher's terms (never the server's text: it may echo data)."""
    if code == 421:
        return SendResult(
            SendStatus.RATE_LIMITED,
            retry_after=BUSY_HOLD_SECONDS,
            scope="channel",
            error=f"421 {what}",
        )
    if 400 <= code < 500:
        return SendResult(SendStatus.RETRY, error=f"{code} {what}")
    return SendResult(SendStatus.FAILED, error=f"{code} {what}")
