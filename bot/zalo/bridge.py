"""The Zalo Official Account bridge (Open API v3): webhook in, consultation messages out.

The runtime turns it on when ZALO_OA_ID and ZALO_APP_ID are set. Its parts:
webhook.py (signature, replay window, record), inbox.py (events -> flows), events.py
(payload shapes), sender.py and render.py (outbox -> Zalo), tokens.py (access token
refresh), api.py (HTTP). Operator notes are in docs/zalo.md.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from bot.context import AppContext
from bot.outbox.sender import ChannelSender
from bot.settings import Settings
from bot.zalo.api import ZaloApi
from bot.zalo.inbox import Inbox
from bot.zalo.sender import ZaloSender
from bot.zalo.tokens import TokenManager
from bot.zalo.webhook import WebhookGuard, webhook_handler
from consultations.channel_tokens import TokenPair

WEBHOOK_PATH = "/zalo/webhook"
# A configured access token's expiry is unknown: treat it as due, so it is refreshed first.
UNKNOWN_EXPIRY = datetime(1970, 1, 1, tzinfo=UTC)


def token_name(oa_id: str) -> str:
    """The channel_tokens row of one OA."""
    return f"zalo_oa:{oa_id}"


def configured_pair(settings: Settings) -> TokenPair | None:
    """The first pair, from ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN, if both are set."""
    access, refresh = settings.zalo_access_token, settings.zalo_refresh_token
    if access is None or refresh is None:
        return None
    return TokenPair(access.get_secret_value(), refresh.get_secret_value(), UNKNOWN_EXPIRY)


def build_api(settings: Settings) -> ZaloApi:
    secret = settings.zalo_app_secret
    return ZaloApi(
        settings.zalo_api_base_url, settings.zalo_oauth_base_url, settings.zalo_app_id or "",
        secret.get_secret_value() if secret is not None else "",
    )


class ZaloOABridge:
    """Owns the OA's API client, token manager, inbox loop and sender."""

    def __init__(self, ctx: AppContext) -> None:
        settings = ctx.settings
        assert settings.zalo_oa_id and settings.zalo_app_id, "built only when the OA is configured"
        self.ctx = ctx
        self.api = build_api(settings)
        self.tokens = TokenManager(
            ctx.uow, self.api, name=token_name(settings.zalo_oa_id),
            seed=configured_pair(settings),
        )
        self.sender = ZaloSender(self.api, self.tokens)
        self.inbox = Inbox(ctx)
        self.guard = WebhookGuard(settings)

    def setup_routes(self, app: web.Application) -> None:
        app.router.add_post(WEBHOOK_PATH, webhook_handler(self.ctx, self.guard, self.inbox.wake))

    async def start(self) -> None:
        """Open the client, keep the token fresh, handle what was recorded before a restart."""
        await self.api.open()
        self.ctx.tasks.spawn("zalo-token-keeper", self.tokens.keep_fresh())
        self.inbox.start()

    async def stop(self) -> None:
        await self.api.close()

    def senders(self) -> list[ChannelSender]:
        return [self.sender]
