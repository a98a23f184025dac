"""The outbox dispatcher: sends queued messages on every push channel within its limits."""

from bot.outbox.dispatcher import Dispatcher, DispatchStats
from bot.outbox.limits import ChannelLimiter
from bot.outbox.sender import ChannelLimits, ChannelSender, Delivery, SendResult, SendStatus

__all__ = [
    "ChannelLimiter",
    "ChannelLimits",
    "ChannelSender",
    "Delivery",
    "DispatchStats",
    "Dispatcher",
    "SendResult",
    "SendStatus",
]
