"""A local stand-in for the Zalo OA Open API v3 (tests, demos, trying the bridge offline).

Usage::

    async with ZaloStandin() as zalo:
        settings = Settings(zalo_api_base_url=zalo.root_url, zalo_oauth_base_url=zalo.root_url,
                            zalo_access_token=zalo.initial.access_token, ...)
        zalo.webhook_url = f"{bot_url}/zalo/webhook"
        await zalo.deliver(zalo.events.text("1001", "xin chào"))
        assert zalo.sent_to("1001")

Standalone: ``python -m bot.zalo.standin --port 8082``.
"""

from .builders import Event, Events, new_msg_id
from .faults import ERROR_MESSAGES, FaultQueue
from .server import ZaloStandin
from .signing import Signer, encode
from .state import IssuedPair, SentMessage, StandinState

__all__ = [
    "ERROR_MESSAGES",
    "Event",
    "Events",
    "FaultQueue",
    "IssuedPair",
    "SentMessage",
    "Signer",
    "StandinState",
    "ZaloStandin",
    "encode",
    "new_msg_id",
]
