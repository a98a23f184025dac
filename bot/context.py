"""What request handlers and background jobs share, built once by the runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.metrics import Metrics
from bot.settings import Settings
from bot.tasks import TaskSupervisor
from bot.throttle import FloodGuard, KeyedLocks
from handlers.flows.context import FlowSettings
from storage.uow import UnitOfWorkFactory


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
    metrics: Metrics = field(default_factory=Metrics)

    def wake_dispatcher(self) -> None:
        """Tell the outbox dispatcher that replies were just committed (sent within a second)."""
        self.wake()


APP_CONTEXT = web.AppKey("consultbot.context", AppContext)
