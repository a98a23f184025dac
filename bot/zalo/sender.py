"""Sends outbox rows as Zalo OA consultation messages and says what happened in the
dispatcher's terms.

Zalo answers HTTP 200 with an error code in the body; each code we know maps to one of
the dispatcher's outcomes (see `OUTCOMES`), anything else is retried with back-off and
ends in the dead letters. -216/-220 (token invalid or expired) refresh the token and try
once more. -230 (the user has not written for 7 days) parks the message as "waiting"
until the user writes again.

A reply longer than one message (numbered choices added to a long text) goes as several
messages; the parts already delivered are remembered per row, so a retry continues
where it stopped (in this process; after a restart a part may arrive twice).
"""

from __future__ import annotations

import logging

from bot.outbox.sender import ChannelLimits, Delivery, SendResult, SendStatus
from bot.zalo.api import Answer, RefreshFailed, ZaloApi
from bot.zalo.events import CHANNEL
from bot.zalo.render import Message, render
from bot.zalo.tokens import TokenManager

log = logging.getLogger(__name__)
TOKEN_REFUSED = (-216, -220)
RATE_LIMIT_WAIT_S = 60.0  # -32 counts calls per minute: hold the whole channel that long
QUOTA_WAIT_S = 3600.0
# Zalo's refusals and what the dispatcher does with them.
OUTCOMES: dict[int, SendResult] = {
    -230: SendResult(SendStatus.DEFERRED, error="-230 outside the 7-day window"),
    -232: SendResult(SendStatus.DEFERRED, error="-232 no interaction yet"),
    -32: SendResult(SendStatus.RATE_LIMITED, retry_after=RATE_LIMIT_WAIT_S, scope="channel",
                    error="-32 rate limit"),
    -211: SendResult(SendStatus.RATE_LIMITED, retry_after=QUOTA_WAIT_S, scope="channel",
                     error="-211 out of quota"),
    -218: SendResult(SendStatus.RATE_LIMITED, retry_after=QUOTA_WAIT_S,
                     error="-218 user's receiving quota reached"),
    -227: SendResult(SendStatus.UNREACHABLE, error="-227 user banned or inactive"),
    -244: SendResult(SendStatus.UNREACHABLE, error="-244 user refuses these messages"),
    -201: SendResult(SendStatus.FAILED, error="-201 invalid parameter"),
    -210: SendResult(SendStatus.FAILED, error="-210 parameter over the limit"),
    -233: SendResult(SendStatus.FAILED, error="-233 message type not supported"),
}


def zalo_limits() -> ChannelLimits:
    """Our own pace for the OA, kept well under what Zalo tolerates (see docs/zalo.md).

    Zalo counts calls per app and answers -32 when there are too many; public integration
    notes put the send API at about 20 requests a second, so we stay at half of that.
    It documents no per-user limit: 5 a second with a burst of 10 lets a reply cut into
    several messages arrive together, in order, without letting one chat take the OA.
    """
    return ChannelLimits(
        overall_per_second=10, per_chat_per_second=5, per_chat_burst=10,
        group_per_minute=None, broadcast_per_second=None,
    )


class ZaloSender:
    """The dispatcher's sender for channel "zalo" (one-to-one chats only)."""

    channel = CHANNEL

    def __init__(self, api: ZaloApi, tokens: TokenManager) -> None:
        self.api, self.tokens = api, tokens
        self.limits = zalo_limits()
        self._delivered_parts: dict[int, int] = {}

    def is_group(self, recipient: str) -> bool:
        return False

    async def send(self, delivery: Delivery) -> SendResult:
        messages = render(delivery.payload)
        start = self._delivered_parts.get(delivery.outbox_id, 0)
        for index in range(start, len(messages)):
            result = await self._send_part(delivery.recipient, messages[index])
            if result.status is not SendStatus.SENT:
                if index > start:
                    self._delivered_parts[delivery.outbox_id] = index
                return result
        self._delivered_parts.pop(delivery.outbox_id, None)
        return SendResult(SendStatus.SENT)

    async def _send_part(self, user_id: str, message: Message) -> SendResult:
        """One message; a refused token is refreshed and the message tried once more."""
        try:
            async with self.tokens.use() as token:
                answer = await self.api.send(token.value, user_id, message)
            if answer.error in TOKEN_REFUSED:
                log.info("Zalo refused access token version %d (%s)", token.version, answer.error)
                await self.tokens.refresh(token.version)
                async with self.tokens.use() as token:
                    answer = await self.api.send(token.value, user_id, message)
        except RefreshFailed as error:
            return SendResult(SendStatus.RETRY, error=f"token refresh failed: {error}")
        return outcome(answer)


def outcome(answer: Answer) -> SendResult:
    """Zalo's answer in the dispatcher's terms."""
    if answer.error == 0:
        return SendResult(SendStatus.SENT)
    if answer.error is not None:
        known = OUTCOMES.get(answer.error)
        if known is not None:
            return known
        if answer.error in TOKEN_REFUSED:
            return SendResult(SendStatus.RETRY, error=f"{answer.error} token refused twice")
        return SendResult(SendStatus.RETRY, error=f"{answer.error} {answer.message}"[:120])
    if answer.http_status == 429:
        return SendResult(SendStatus.RATE_LIMITED, retry_after=RATE_LIMIT_WAIT_S,
                          scope="channel", error="HTTP 429")
    return SendResult(SendStatus.RETRY, error=answer.message or "no answer",
                      ambiguous=answer.ambiguous)
