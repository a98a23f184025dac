"""The runtime: builds everything from settings, serves it, and stops it in one place."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp_session import session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from sqlalchemy import text

from bot import probes, webchat
from bot.admin import setup_admin
from bot.channels import Bridge
from bot.context import APP_CONTEXT, AppContext
from bot.email import EmailBridge
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.sender import ChannelSender
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.signals import until_stopped
from bot.telegram.bridge import TelegramBridge
from bot.throttle import FloodGuard
from bot.zalo.bridge import ZaloOABridge
from bot.zalo_bot.bridge import ZaloBotBridge
from handlers.flows.context import FlowSettings
from storage import migrate, secrets
from storage.clock import Clock
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
MAX_REQUEST_BYTES = 2 * 1024 * 1024
# The longest text each channel takes in one message (Telegram 4,096; Zalo 2,000; the
# Zalo Bot's numbered options need room below the text).
TEXT_LIMITS = {"telegram": 4000, "zalo": 2000, "zalo_bot": 1800}


async def build_context(settings: Settings, clock: Clock | None = None) -> AppContext:
    """Engine, migrations and shared helpers; the caller disposes of the engine."""
    engine = create_engine(settings.database_url)
    if settings.migrate_on_start:
        await migrate.upgrade(engine)
    return AppContext(
        settings=settings,
        engine=engine,
        uow=UnitOfWorkFactory(session_factory(engine), clock),
        flow_settings=FlowSettings(
            province=settings.province_name, tz=settings.tz, text_limits=TEXT_LIMITS
        ),
        flood=FloodGuard(settings.chat_burst, settings.chat_rate_per_second),
    )


async def derived_key(ctx: AppContext, purpose: str) -> bytes:
    """A 32-byte key per purpose, from ADMIN_SECRET_KEY or a secret generated and stored once."""
    configured = ctx.settings.admin_secret_key
    if configured is not None:
        master = configured.get_secret_value()
    else:
        async with ctx.uow() as uow:
            master = await secrets.get_or_create(uow, "master")
            await uow.commit()
    return hashlib.sha256(f"{purpose}\x00{master}".encode()).digest()


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers; what a load balancer or operator checks."""
    try:
        async with request.app[APP_CONTEXT].engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        log.exception("health check failed")
        return web.json_response({"status": "database unavailable"}, status=503)
    return web.json_response({"status": "ok"})


@web.middleware
async def _errors(
    request: web.Request,
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> web.StreamResponse:
    """Unexpected errors become a polite 500; details go to the log, not to the visitor."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response(
            {
                "error": "Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại. "
                "(Sorry, something went wrong. Please try again.)"
            },
            status=500,
        )


async def create_web_app(ctx: AppContext) -> web.Application:
    storage = EncryptedCookieStorage(
        await derived_key(ctx, "webchat-session"),
        cookie_name="consultbot_chat",
        httponly=True,
        samesite="Lax",
        secure=ctx.settings.secure_cookies,
        max_age=90 * 24 * 3600,
    )
    app = web.Application(
        middlewares=[_errors, session_middleware(storage)], client_max_size=MAX_REQUEST_BYTES
    )
    app[APP_CONTEXT] = ctx
    app.router.add_get("/healthz", healthz)
    probes.setup(app)
    webchat.setup(app)
    await setup_admin(app, ctx)
    return app


def enabled_bridges(ctx: AppContext) -> list[Bridge]:
    """The channels the settings turn on; adding a channel adds one line here."""
    bridges: list[Bridge] = []
    if ctx.settings.telegram_bot_token is not None:
        bridges.append(TelegramBridge(ctx))
    if ctx.settings.zalo_oa_id and ctx.settings.zalo_app_id:
        bridges.append(ZaloOABridge(ctx))
    if ctx.settings.zalo_bot_token is not None:
        bridges.append(ZaloBotBridge(ctx))
    if ctx.settings.smtp_host:
        bridges.append(EmailBridge(ctx))
    return bridges


class Runtime:
    """Starts and stops the service: database, web server, channel bridges, dispatcher."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.ctx: AppContext | None = None
        self.bridges: list[Bridge] = []
        self.dispatcher: Dispatcher | None = None
        self.scheduler: Scheduler | None = None
        self._runner: web.AppRunner | None = None
        self.readiness = probes.Readiness()
        self.url = ""

    async def start(self) -> AppContext:
        self.ctx = ctx = await build_context(self.settings, self.clock)
        app = await create_web_app(ctx)
        self.readiness = app[probes.READINESS]
        self.bridges = enabled_bridges(ctx)
        for bridge in self.bridges:
            bridge.setup_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.http_host, self.settings.http_port)
        await site.start()
        port = self._runner.addresses[0][1] if self._runner.addresses else self.settings.http_port
        self.url = f"http://{self.settings.http_host}:{port}"
        await self._start_channels(ctx)
        self.readiness.started = True
        return ctx

    async def _start_channels(self, ctx: AppContext) -> None:
        """Bridges after the web server (a webhook must answer), then the dispatcher."""
        senders: dict[str, ChannelSender] = {}
        for bridge in self.bridges:
            await bridge.start()
            senders.update(ctx.metrics.metered(bridge.senders()))
        self.dispatcher = Dispatcher(ctx.uow, senders, tasks=ctx.tasks)
        ctx.wake = self.dispatcher.wake
        ctx.dispatcher = self.dispatcher
        if senders:
            self.dispatcher.start()
        if self.settings.scheduler_enabled:
            self.scheduler = Scheduler(ctx)
            self.scheduler.start()

    async def stop(self) -> None:
        self.readiness.stopping = True
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop()
        if self.ctx is not None:
            await self.ctx.tasks.stop()
        for bridge in self.bridges:
            await bridge.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        if self.ctx is not None:
            await self.ctx.engine.dispose()

    async def serve_forever(
        self,
        banner: str = "consultbot is running on %s",
        on_start: Callable[[AppContext], Awaitable[None]] | None = None,
    ) -> None:
        """Run until SIGINT/SIGTERM, then stop cleanly (what an operator's restart relies on)."""
        try:
            ctx = await self.start()
            if on_start is not None:
                await on_start(ctx)
            log.info(banner, self.url)
            await until_stopped()
        finally:
            await self.stop()
