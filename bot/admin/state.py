"""What the console's handlers share: the app context, its cookie storage, its areas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp_session import Session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.admin.botname import BotUsername
from bot.context import AppContext
from consultations.console.access import Permission, StaffUser


@dataclass(frozen=True)
class NavItem:
    """A link in the console's main navigation, shown to those with the permission."""

    text_key: str
    path: str
    permission: Permission


@dataclass(frozen=True)
class Area:
    """A part of the console: its routes and its navigation links.

    Adding a part (work queues, insights, outputs) means one more Area in
    bot.admin.app.AREAS; nothing else in the skeleton changes.
    """

    name: str
    setup_routes: Callable[[web.UrlDispatcher], None]
    nav: tuple[NavItem, ...] = ()


@dataclass
class Console:
    ctx: AppContext
    storage: EncryptedCookieStorage
    bot_username: BotUsername
    nav: list[NavItem] = field(default_factory=list)
    # Rounds whose announcement this instance is queuing right now (bot.admin.rounds.announcing).
    announcing: set[int] = field(default_factory=set)


CONSOLE = web.AppKey("consultbot.admin.console", Console)
SESSION = web.RequestKey("consultbot.admin.session", Session)
USER = web.RequestKey("consultbot.admin.user", StaffUser)


def console_of(request: web.Request) -> Console:
    return request.app[CONSOLE]
