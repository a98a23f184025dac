"""``ZaloStandin``: a local Zalo OA Open API for tests, demos and trying the bridge offline.

It serves the send API and the OAuth refresh on loopback (point ZALO_API_BASE_URL and
ZALO_OAUTH_BASE_URL at ``root_url``), records what it was sent, issues and rotates
tokens, injects faults, and plays Zalo's part of the webhook: it signs the events it
delivers to the bot and, like Zalo, counts a user writing as opening the 7-day window.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from .builders import Event, Events
from .faults import FaultQueue, Kind
from .messages import send_handler
from .oauth import refresh_handler
from .signing import Signer, encode
from .state import IssuedPair, SentMessage, StandinState

USER_ACTS = ("user_send_", "user_submit_", "follow")


class ZaloStandin:
    """A Zalo OA API stand-in; also an async context manager (start/stop)."""

    def __init__(
        self, *, app_id: str = "4291763606161179100", oa_id: str = "388613280878808645",
        app_secret: str = "standin-app-secret", oa_secret_key: str = "standin-oa-secret",
        signature_variant: str = "documented", timeout_hold_s: float = 2.0,
        calls_per_second: int | None = None, refresh_delay_s: float = 0.0,
    ) -> None:
        self.app_id, self.oa_id = app_id, oa_id
        self.app_secret, self.oa_secret_key = app_secret, oa_secret_key
        self.state = StandinState()
        self.state.calls.per_second = calls_per_second
        self.refresh_delay_s = refresh_delay_s  # between rotating a pair and answering
        self.faults = FaultQueue(timeout_hold_s)
        self.signer = Signer(app_id, oa_id, oa_secret_key, app_secret, signature_variant)
        self.events = Events(app_id, oa_id)
        self.initial: IssuedPair = self.state.tokens.issue()
        self.webhook_url: str | None = None
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.root_url = ""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/v3.0/oa/message/cs", send_handler(self.state, self.faults))
        app.router.add_post(
            "/v4/oa/access_token",
            refresh_handler(self.state, self.app_id, self.app_secret, lambda: self.refresh_delay_s),
        )
        app.router.add_get("/_standin/sent", self._sent_route)
        app.router.add_get("/_standin/tokens", self._tokens_route)
        app.router.add_post("/_standin/deliver", self._deliver_route)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.root_url = f"http://{host}:{bound}"
        self._client = aiohttp.ClientSession()
        return self.root_url

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- what tests look at ------------------------------------------------------------

    @property
    def sent(self) -> list[SentMessage]:
        return self.state.sent

    def sent_to(self, user_id: str) -> list[SentMessage]:
        return self.state.sent_to(user_id)

    @property
    def refreshes(self) -> int:
        return self.state.tokens.refreshes

    @property
    def violations(self) -> int:
        """Sends refused with -32 because the client called faster than the set limit."""
        return self.state.calls.violations

    @property
    def stale_token_uses(self) -> int:
        """Sends that carried an access token already rotated out (a careful client: 0)."""
        return self.state.stale_token_uses

    # --- what tests do -----------------------------------------------------------------

    def inject(
        self, kind: Kind, count: int = 1, user_id: str | None = None, *, after: int = 0
    ) -> None:
        """After `after` more sends (to `user_id`, or anyone), `count` sends fail with `kind`."""
        self.faults.add(kind, count, user_id, after)

    def leave_window(self, user_id: str) -> None:
        """The user has not written for 7 days: sends to them get -230 until they write."""
        self.state.outside_window.add(user_id)

    def expire_access_tokens(self) -> None:
        self.state.tokens.expire_access_tokens()

    async def deliver(
        self, event: Event, *, url: str | None = None, signed: bool = True,
        raw: bytes | None = None, headers: dict[str, str] | None = None,
    ) -> int:
        """POST an event to the bot's webhook as Zalo would; returns the HTTP status.

        The signature is always over the event's own encoding; `raw` replaces the body
        sent (a tampered or broken one), `headers` add to or replace the signed ones.
        """
        assert self._client is not None, "start() first"
        target = url or self.webhook_url
        assert target, "no webhook URL: pass url= or set webhook_url"
        stamp = str(event.get("timestamp", ""))
        sent_headers = self.signer.headers(encode(event), stamp, stamp) if signed else {
            "Content-Type": "application/json"}
        body = raw if raw is not None else encode(event)
        sent_headers.update(headers or {})
        name = str(event.get("event_name", ""))
        if name.startswith(USER_ACTS):
            self.state.outside_window.discard(_user(event))
        async with self._client.post(target, data=body, headers=sent_headers) as response:
            await response.read()
            self.state.webhook_deliveries.append((name, response.status))
            return response.status

    # --- control routes (standalone use) --------------------------------------------------

    async def _sent_route(self, _: web.Request) -> web.Response:
        return web.json_response([
            {"user_id": m.user_id, "message": m.message, "message_id": m.message_id}
            for m in self.state.sent
        ])

    async def _tokens_route(self, _: web.Request) -> web.Response:
        """The newest pair: what an operator configures to try the bot against the stand-in."""
        pair = self.state.tokens.pairs[-1]
        return web.json_response({"access_token": pair.access_token,
                                  "refresh_token": pair.refresh_token,
                                  "refresh_used": pair.refresh_used})

    async def _deliver_route(self, request: web.Request) -> web.Response:
        """{"url": webhook, "event": {...}} or {"url", "user", "text"}: sign and deliver."""
        data: dict[str, Any] = await request.json()
        event = data.get("event") or self.events.text(str(data["user"]), str(data["text"]))
        status = await self.deliver(event, url=data.get("url"))
        return web.json_response({"status": status, "event": event})


def _user(event: Event) -> str:
    holder = event.get("follower") or event.get("sender") or {}
    return str(holder.get("id", ""))
