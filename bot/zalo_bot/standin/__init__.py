"""A local stand-in for the Zalo Bot Platform API (tests, benchmarks, trying the bot offline).

Usage::

    async with ZaloBotStandin("123:TEST") as standin:
        settings = Settings(zalo_bot_token="123:TEST", zalo_bot_api_base_url=standin.root_url)
        standin.inject_update(make_text_update("u1", "xin chào"))
        ...
        assert standin.violations == 0

Standalone: ``python -m bot.zalo_bot.standin --port 8082 --token 123:TEST``.
"""

from .builders import (
    make_group_text_update,
    make_image_update,
    make_message,
    make_sticker_update,
    make_text_update,
    make_unsupported_update,
    make_update,
    new_id,
    wrap,
)
from .delivery import DeliveryAttempt, DeliveryPolicy
from .faults import SENDING_METHODS, Fault, StandinFaults
from .limits import StandinLimits
from .server import ZaloBotStandin
from .state import CallRecord, SentMessage

__all__ = [
    "SENDING_METHODS",
    "CallRecord",
    "DeliveryAttempt",
    "DeliveryPolicy",
    "Fault",
    "SentMessage",
    "StandinFaults",
    "StandinLimits",
    "ZaloBotStandin",
    "make_group_text_update",
    "make_image_update",
    "make_message",
    "make_sticker_update",
    "make_text_update",
    "make_unsupported_update",
    "make_update",
    "new_id",
    "wrap",
]
