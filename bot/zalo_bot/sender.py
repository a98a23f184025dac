"""Sends outbox rows to the Zalo Bot and says what happened in the dispatcher's terms.

The documented error codes are 400 (bad request), 401 (token invalid), 403 (listed
as "Internal server error" in the table; a refusal to reach a user elsewhere), 404,
408 (request time-out) and 429 (quota exceeded). Limits are not published, so the
sender declares conservative ones (see docs/zalo-bot.md) and a 429 holds the whole
channel: a quota is the bot's, not one chat's.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from bot.outbox.sender import ChannelLimits, Delivery, SendResult, SendStatus
from bot.zalo_bot.api import ApiError, TransportError, ZaloBotApi
from bot.zalo_bot.render import render

log = logging.getLogger(__name__)
CHANNEL = "zalo_bot"
# Not published by Zalo: a private chat at one message a second with a short burst, and
# ten a second overall, well below what a chat app's API usually refuses.
ZALO_BOT_LIMITS = ChannelLimits(
    overall_per_second=10,
    per_chat_per_second=1,
    per_chat_burst=3,
    group_per_minute=20,
    broadcast_per_second=None,
)
DEFAULT_RETRY_AFTER = 5.0  # a 429 without a hint: wait this long
MAX_TRACKED = 10_000  # rows whose first parts went out and whose rest is to be retried
AMBIGUOUS_CODES = {403, 408, 500, 504}  # the platform may have acted before it failed


class ZaloBotSender:
    """The dispatcher's sender for channel 'zalo_bot': one or more sendMessage per row.

    A row longer than one message goes out as several; when a later part fails, the
    parts already delivered are remembered (in memory) so a retry sends only the rest.
    """

    channel = CHANNEL

    def __init__(self, api: ZaloBotApi, *, limits: ChannelLimits = ZALO_BOT_LIMITS) -> None:
        self.api = api
        self.limits = limits
        self._delivered: OrderedDict[int, int] = OrderedDict()

    def is_group(self, recipient: str) -> bool:
        """Zalo ids do not tell a group from a person; groups are still in preview."""
        return False

    async def send(self, delivery: Delivery) -> SendResult:
        parts = render(delivery.payload)
        start = self._delivered.pop(delivery.outbox_id, 0)
        for index in range(start, len(parts)):
            try:
                await self.api.send_message(delivery.recipient, parts[index])
            except (ApiError, TransportError) as error:
                result = outcome(error)
                if index > 0 and result.status in (SendStatus.RETRY, SendStatus.RATE_LIMITED):
                    self._remember(delivery.outbox_id, index)
                return result
        return SendResult(SendStatus.SENT)

    def _remember(self, outbox_id: int, parts_done: int) -> None:
        self._delivered[outbox_id] = parts_done
        while len(self._delivered) > MAX_TRACKED:
            self._delivered.popitem(last=False)


def outcome(error: ApiError | TransportError) -> SendResult:
    """One failed sendMessage in the dispatcher's terms; never message text in `error`."""
    if isinstance(error, TransportError):
        return SendResult(SendStatus.RETRY, error=f"network {error.reason}",
                          ambiguous=error.ambiguous)
    code, reason = error.code, f"{error.code} {_short(error.description)}".strip()
    if code == 429:
        return SendResult(SendStatus.RATE_LIMITED, scope="channel", error=reason,
                          retry_after=error.retry_after or DEFAULT_RETRY_AFTER)
    if code == 403 and not _server_side(error.description):
        return SendResult(SendStatus.UNREACHABLE, error=reason)
    if code == 401:
        log.error("Zalo Bot refused the token (401): check ZALO_BOT_TOKEN")
        return SendResult(SendStatus.RETRY, error=reason)
    if code in AMBIGUOUS_CODES or code >= 500:
        return SendResult(SendStatus.RETRY, error=reason, ambiguous=code in AMBIGUOUS_CODES)
    return SendResult(SendStatus.FAILED, error=reason)


def _server_side(description: str) -> bool:
    """A 403 whose description blames the server (as the docs' table does) is not a block."""
    lowered = description.lower()
    return "internal" in lowered or "server error" in lowered


def _short(text: str) -> str:
    """Platform error texts name no personal data, but keep them short in the log."""
    return text[:120]
