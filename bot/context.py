"""What request handlers and background jobs share, built once by the runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.metrics import Metrics
from bot.settings import Settings
from bot.tasks import TaskSupervisor
from bot.throttle import FloodGuard, KeyedLocks
from handlers.flows.context import FlowSettings
from storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.outbox.dispatcher import Dispatcher


@dataclass
class AppContext:
    """Resources, not state of a conversation: those live in the database."""

    settings: Settings
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    flow_settings: FlowSettings
    flood: FloodGuard
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    tasks: TaskSupervisor = field(default_factory=TaskSupervisor)
    wake: Callable[[], None] = field(default=lambda: None)
    dispatcher: Dispatcher | None = None  # set once the channels are started
    metrics: Metrics = field(default_factory=Metrics)

    def wake_dispatcher(self) -> None:
        """Tell the outbox dispatcher that replies were just committed (sent within a second)."""
        self.wake()


APP_CONTEXT = web.AppKey("consultbot.context", AppContext)
