"""A local stand-in for the Telegram Bot API (tests, benchmarks, trying the bot offline).

Usage with PTB::

    async with BotApiStandin("123:TEST") as standin:
        bot = Bot("123:TEST", base_url=standin.base_url, request=AiohttpRequest())
        standin.inject_update(make_text_update(42, "/start"))
        ...
        assert standin.violations == 0

Standalone: ``python -m bot.telegram.standin --port 8081 --token 123:TEST``.
"""

from .builders import (
    command_entities,
    make_callback_update,
    make_chat,
    make_group_message,
    make_photo_update,
    make_text_update,
    make_user,
    make_voice_update,
)
from .faults import SENDING_METHODS, Fault, StandinFaults
from .limits import RateLimiter, StandinLimits
from .server import BotApiStandin
from .state import CallRecord, SentMessage
from .webhook import DeliveryAttempt, DeliveryPolicy

__all__ = [
    "SENDING_METHODS",
    "BotApiStandin",
    "CallRecord",
    "DeliveryAttempt",
    "DeliveryPolicy",
    "Fault",
    "RateLimiter",
    "SentMessage",
    "StandinFaults",
    "StandinLimits",
    "command_entities",
    "make_callback_update",
    "make_chat",
    "make_group_message",
    "make_photo_update",
    "make_text_update",
    "make_user",
    "make_voice_update",
]
