"""Sends outbox rows to Telegram and says what happened in the dispatcher's terms."""

from __future__ import annotations

import functools
import json
import logging
import warnings
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.outbox.sender import ChannelLimits, Delivery, SendResult, SendStatus
from bot.telegram.render import TelegramMessage, render

log = logging.getLogger(__name__)


def telegram_limits(paid_broadcast: bool, per_second: float = 30.0) -> ChannelLimits:
    """Telegram's documented limits; paid broadcast lifts the overall one to 1,000/s."""
    return ChannelLimits(
        overall_per_second=per_second,
        per_chat_per_second=1,
        per_chat_burst=3,
        group_per_minute=20,
        broadcast_per_second=1000 if paid_broadcast else None,
    )


NOT_MODIFIED = "message is not modified"
# sendMessage through do_api_request, which returns Telegram's answer as it came: building
# PTB's Message object from it, which nobody reads, was a third of the send's CPU time in
# the broadcast benchmark's profile. Bot API method names are case-insensitive; PTB warns
# when do_api_request is given the name of a method it has, so the lower-case spelling.
SEND_MESSAGE = "sendmessage"
# An announcement is one message to many: rendered and its keyboard serialised once, not
# for each of 200,000 followers (a tenth of a send's CPU time). Replies are not cached.
BROADCASTS_KEPT = 64


def _cache_key(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def _render_once(key: str) -> tuple[str, str | None]:
    """The text and the inline keyboard as JSON, for a payload given as its cache key."""
    message = render(json.loads(key))
    return message.text, message.reply_markup.to_json() if message.reply_markup else None


class TelegramSender:
    """One Bot (PTB over our aiohttp request) used by the dispatcher for channel 'telegram'."""

    channel = "telegram"

    def __init__(
        self, bot: Bot, *, paid_broadcast: bool = False, per_second: float = 30.0
    ) -> None:
        self.bot = bot
        self.paid_broadcast = paid_broadcast
        self.limits = telegram_limits(paid_broadcast, per_second)
        self._broadcast_message = functools.lru_cache(maxsize=BROADCASTS_KEPT)(_render_once)

    def is_group(self, recipient: str) -> bool:
        return recipient.startswith("-")

    async def send(self, delivery: Delivery) -> SendResult:
        broadcast = bool(delivery.payload.get("broadcast"))
        markup: str | InlineKeyboardMarkup | None
        try:
            if broadcast and "edit_ref" not in delivery.payload:
                text, markup = self._broadcast_message(_cache_key(delivery.payload))
            else:
                message = render(delivery.payload)
                if message.edit_message_id is not None and await self._edit(delivery, message):
                    return SendResult(SendStatus.SENT)
                text, markup = message.text, message.reply_markup
            await self.bot.do_api_request(
                SEND_MESSAGE,
                api_kwargs={
                    "chat_id": int(delivery.recipient),
                    "text": text,
                    "parse_mode": ParseMode.HTML,
                    "reply_markup": markup,
                    "allow_paid_broadcast": (broadcast and self.paid_broadcast) or None,
                },
            )
        except RetryAfter as error:
            return SendResult(SendStatus.RATE_LIMITED, retry_after=_retry_after(error), error="429")
        except Forbidden:
            return SendResult(SendStatus.UNREACHABLE, error="403 forbidden")
        except BadRequest as error:
            return SendResult(SendStatus.FAILED, error=f"400 {_short(error.message)}")
        except TimedOut:
            return SendResult(SendStatus.RETRY, error="timeout", ambiguous=True)
        except NetworkError as error:
            return SendResult(SendStatus.RETRY, error=f"network {_short(error.message)}")
        return SendResult(SendStatus.SENT)

    async def _edit(self, delivery: Delivery, message: TelegramMessage) -> bool:
        """Edit the menu message the button was on; False means send a new one instead."""
        try:
            await self.bot.edit_message_text(
                chat_id=int(delivery.recipient),
                message_id=message.edit_message_id,
                text=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=message.reply_markup,
            )
        except BadRequest as error:
            return NOT_MODIFIED in error.message.lower()
        return True


def _retry_after(error: RetryAfter) -> float:
    """Seconds to wait; PTB 22 warns that the attribute becomes a timedelta in PTB 23."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _short(text: str) -> str:
    """Error texts from Telegram name no personal data, but keep them short in the log."""
    return text[:120]
