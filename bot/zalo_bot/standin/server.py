"""``ZaloBotStandin``: a local Zalo Bot Platform API for tests, benchmarks and offline trials.

It serves ``/bot<token>/<method>`` on loopback with the documented answer shapes
(``{"ok": true, "result": ...}`` / ``{"ok": false, "error_code", "description"}``, with
HTTP 200 as clients observe; injected server failures are real HTTP 500/502), enforces
flood limits with 429, injects faults on demand and records every call and message.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from .control import add_control_routes
from .delivery import DeliveryAttempt, DeliveryPolicy
from .faults import SENDING_METHODS, Fault, FaultInjector, StandinFaults
from .hub import UpdateHub
from .limits import RateLimiter, StandinLimits
from .methods import Method, Methods, Refusal
from .state import CallRecord, SentMessage

_BAD_GATEWAY_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body>"
    "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


class ZaloBotStandin:
    """A Zalo Bot API stand-in; also an async context manager (start/stop)."""

    def __init__(
        self,
        token: str,
        *,
        limits: StandinLimits | None = None,
        faults: StandinFaults | None = None,
        delivery: DeliveryPolicy | None = None,
        account_name: str = "bot.standin",
    ) -> None:
        self.token = token
        self.calls: list[CallRecord] = []
        self.sent: list[SentMessage] = []
        self.limiter = RateLimiter(limits or StandinLimits())
        self.fault_injector = FaultInjector(faults)
        self._stopping = asyncio.Event()
        self.hub = UpdateHub(delivery or DeliveryPolicy(), self._stopping)
        bot_id = token.split(":", 1)[0] or "1"
        methods = Methods(bot_id, account_name, self.sent).handlers() | self.hub.handlers()
        self._methods: dict[str, Method] = methods
        self._runner: web.AppRunner | None = None
        self.root_url = ""

    # --- Python API -------------------------------------------------------------------------

    def sent_to(self, chat_id: str) -> list[SentMessage]:
        return [message for message in self.sent if message.chat_id == chat_id]

    def inject_update(self, update: dict[str, Any]) -> None:
        """A user writes to the bot: the update goes to the webhook, or waits for getUpdates."""
        self.hub.inject(update)

    def force_faults(self, *faults: Fault | None) -> None:
        """The next sending requests fail exactly like this, in order (None: succeed)."""
        self.fault_injector.force(*faults)

    @property
    def faults(self) -> StandinFaults:
        return self.fault_injector.faults

    @faults.setter
    def faults(self, faults: StandinFaults) -> None:
        self.fault_injector.configure(faults)

    @property
    def violations(self) -> int:
        """429s a client caused by exceeding the limits (a well-behaved one causes none)."""
        return self.limiter.violations

    @property
    def webhook_url(self) -> str:
        return self.hub.webhook_url

    @property
    def webhook_attempts(self) -> list[DeliveryAttempt]:
        return self.hub.attempts

    def stats(self) -> dict[str, Any]:
        return {"calls": len(self.calls), "sent": len(self.sent),
                "violations": self.limiter.violations, "pending": len(self.hub.queue.pending),
                "faults": dict(self.fault_injector.counts), "webhook_url": self.webhook_url}

    def reset(self) -> None:
        self.calls.clear()
        self.sent.clear()
        self.limiter.reset()
        self.fault_injector.counts.clear()

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen (port 0 picks a free one); returns the root URL, the API base for clients."""
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        add_control_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0]
        self.root_url = f"http://{bound[0]}:{bound[1]}"
        return self.root_url

    async def stop(self) -> None:
        self._stopping.set()
        await self.hub.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- HTTP -------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        try:
            params = await _params(request)
        except Refusal as refusal:
            return self._refused(method, {}, refusal)
        record = CallRecord(method, params)
        self.calls.append(record)
        handler = self._methods.get(method)
        if request.match_info["token"] != self.token:
            return self._refused(method, params, Refusal(401, "Unauthorized"), record)
        if handler is None:
            return self._refused(method, params, Refusal(400, "Bad request"), record)
        chat_id = str(params["chat_id"]) if params.get("chat_id") is not None else None
        fault = self.fault_injector.decide(method, chat_id)
        early = self._fault_answer(fault, record)
        if early is not None:
            return early
        try:
            if method in SENDING_METHODS and not self.limiter.admit(chat_id):
                raise Refusal(429, "Quota exceeded")
            result = await handler(params, request)
        except Refusal as refusal:
            return self._refused(method, params, refusal, record)
        if fault is Fault.TIMEOUT:  # done, but the answer comes after the client gave up
            await self._hold(self.faults.timeout_hold_s)
        body: dict[str, Any] = {"ok": True} if result is None else {"ok": True, "result": result}
        return web.json_response(body)

    def _fault_answer(self, fault: Fault | None, record: CallRecord) -> web.Response | None:
        """The answer to a request that an injected fault refuses before it is performed."""
        if fault is None or fault is Fault.TIMEOUT:
            return None
        if fault is Fault.BAD_GATEWAY:
            record.error_code = 502
            return web.Response(status=502, text=_BAD_GATEWAY_PAGE, content_type="text/html")
        code, description, status = {
            Fault.BLOCKED: (403, "Forbidden: the user cannot receive messages", 200),
            Fault.SERVER_ERROR: (500, "Internal Server Error", 500),
            Fault.TOO_MANY_REQUESTS: (429, "Quota exceeded", 200),
        }[fault]
        record.error_code = code
        body = {"ok": False, "error_code": code, "description": description}
        return web.json_response(body, status=status)

    def _refused(self, method: str, params: dict[str, Any], refusal: Refusal,
                 record: CallRecord | None = None) -> web.Response:
        if record is None:
            record = CallRecord(method, params)
            self.calls.append(record)
        record.error_code = refusal.code
        return web.json_response(
            {"ok": False, "error_code": refusal.code, "description": refusal.description}
        )

    async def _hold(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)


async def _params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string, a JSON object, or a form, as the docs allow."""
    params: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise Refusal(400, "Bad request: body is not JSON") from None
        if not isinstance(body, dict):
            raise Refusal(400, "Bad request: body must be a JSON object")
        params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    return params
