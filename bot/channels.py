"""What the runtime needs from a channel bridge: routes, a start, a stop, and a sender."""

from __future__ import annotations

from typing import Protocol

from aiohttp import web

from bot.outbox.sender import ChannelSender


class Bridge(Protocol):
    """A door for citizens (Telegram, Zalo OA, Zalo Bot...): one folder under bot/ each.

    The runtime calls `setup_routes` before the web server starts, `start` once it
    listens (a platform may call the webhook at once), then hands `senders()` to
    the outbox dispatcher; `stop` on shutdown.
    """

    def setup_routes(self, app: web.Application) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def senders(self) -> list[ChannelSender]: ...
