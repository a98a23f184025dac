"""``BotApiStandin``: a local Telegram Bot API for tests, benchmarks and offline trials.

It serves ``/bot<token>/<method>`` on loopback, answers like the real API (same shapes, same
error texts), enforces Telegram's flood limits, injects faults on demand and records every call.
Point PTB at it with ``Bot(token, base_url=await standin.start())``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from .botinfo import info_handlers
from .control import add_control_routes
from .faults import SENDING_METHODS, Fault, FaultInjector, StandinFaults
from .limits import RateLimiter, Reservation, StandinLimits
from .messages import Handler, message_handlers
from .protocol import ApiError, Described, Params, error_body, read_params
from .state import CallRecord, SentMessage, StandinState
from .updates import UpdateHub
from .webhook import DeliveryAttempt, DeliveryPolicy

__all__ = ["BotApiStandin"]

_TOKEN_SHAPE = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
_BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class _GatewayFailure(Exception):
    """Telegram's front-end failing: answered with nginx's HTML page, not JSON."""


class BotApiStandin:
    """A Telegram Bot API stand-in; also an async context manager (start/stop)."""

    def __init__(
        self,
        token: str,
        *,
        limits: StandinLimits | None = None,
        faults: StandinFaults | None = None,
        delivery: DeliveryPolicy | None = None,
        bot_username: str = "standin_bot",
        bot_first_name: str = "Stand-in Bot",
        max_upload_bytes: int = 50 * 1024 * 1024,
    ) -> None:
        """Configure; nothing listens before ``start()``."""
        self.token = token
        prefix = token.split(":", 1)[0]
        bot_user = {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.state = StandinState(bot_user=bot_user)
        self.limiter = RateLimiter(limits or StandinLimits())
        self.fault_injector = FaultInjector(faults)
        self._stopping = asyncio.Event()
        self.updates = UpdateHub(
            self.state, delivery or DeliveryPolicy(), self._stopping, self._webhook_reply
        )
        handlers = (
            message_handlers(self.state) | info_handlers(self.state) | self.updates.handlers()
        )
        self._handlers: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler) for name, handler in handlers.items()
        }
        self._max_upload = max_upload_bytes
        self._runner: web.AppRunner | None = None
        self._root: str | None = None

    # --- Python API -------------------------------------------------------------------------

    @property
    def calls(self) -> list[CallRecord]:
        """Every API request received, in arrival order (refused ones included)."""
        return self.state.calls

    @property
    def sent(self) -> list[SentMessage]:
        """Every message the bot sent or edited successfully (even if the answer was held)."""
        return self.state.sent

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        """The sent/edited messages of one chat."""
        return [message for message in self.state.sent if message.chat_id == chat_id]

    @property
    def violations(self) -> int:
        """429s caused by the client exceeding limits (a well-behaved client causes none)."""
        return self.limiter.violations

    @property
    def retry_after_ignored(self) -> int:
        """Requests that came back before the retry_after they were given had elapsed."""
        return self.limiter.retry_after_ignored

    @property
    def faults(self) -> StandinFaults:
        """Current fault settings."""
        return self.fault_injector.faults

    @faults.setter
    def faults(self, faults: StandinFaults) -> None:
        """Replace fault settings (reseeds the RNG)."""
        self.fault_injector.configure(faults)

    @property
    def limits(self) -> StandinLimits:
        """Current rate-limit settings."""
        return self.limiter.limits

    @limits.setter
    def limits(self, limits: StandinLimits) -> None:
        """Replace rate-limit settings (traffic already counted is kept)."""
        self.limiter.limits = limits

    @property
    def webhook_deliveries(self) -> list[DeliveryAttempt]:
        """Every webhook POST attempt, including failed ones that were retried."""
        return self.updates.deliveries.attempts

    def stats(self) -> dict[str, Any]:
        """Counters for ``GET /_standin/stats`` and benchmark reports."""
        return {
            "calls": len(self.state.calls),
            "sent": len(self.state.sent),
            "violations": self.limiter.violations,
            "retry_after_ignored": self.limiter.retry_after_ignored,
            "faults": dict(self.fault_injector.counts),
            "webhook_attempts": len(self.updates.deliveries.attempts),
            "webhook_max_concurrent": self.updates.deliveries.max_active,
        }

    def inject_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update as if a user acted; returns it with its update_id."""
        return self.updates.inject(update)

    def reset(self) -> None:
        """Forget calls, sent messages, counters and rate-limit state."""
        self.state.clear_records()
        self.limiter.reset()
        self.fault_injector.counts.clear()
        self.updates.deliveries.attempts.clear()
        self.updates.deliveries.max_active = 0

    # --- dispatching ------------------------------------------------------------------------

    def _inject_fault(self, fault: Fault | None, chat_id: int | None) -> None:
        """Turn a drawn fault into the answer Telegram would give (time-outs come later)."""
        if fault is Fault.BLOCKED:
            what = "bot was blocked by the user"
            if chat_id is not None and chat_id < 0:
                what = "bot was kicked from the group chat"
            raise ApiError(403, f"Forbidden: {what}")
        if fault is Fault.SERVER_ERROR:
            raise ApiError(500, "Internal Server Error")
        if fault is Fault.BAD_GATEWAY:
            raise _GatewayFailure
        if fault is Fault.TOO_MANY_REQUESTS:
            retry_after = self.faults.retry_after
            self.limiter.told_to_wait(chat_id, retry_after)
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )

    def _reserve(self, name: str, params: Params, chat_id: int | None) -> Reservation | None:
        """Apply the flood limits to sending methods."""
        if name not in SENDING_METHODS:
            return None
        got = self.limiter.acquire(chat_id, paid=params.get_bool("allow_paid_broadcast"))
        if isinstance(got, int):
            raise ApiError(429, f"Too Many Requests: retry after {got}", retry_after=got)
        return got

    def _record_sent(self, record: CallRecord, params: Params, result: Any, *, held: bool) -> None:
        """Keep successful sends/edits in ``sent``."""
        if record.method not in SENDING_METHODS or not isinstance(result, dict):
            return
        chat_id = result.get("chat", {}).get("id", record.chat_id)
        record.message_id = result.get("message_id")
        self.state.sent.append(
            SentMessage(
                method=record.method,
                chat_id=chat_id,
                message_id=result["message_id"],
                text=result.get("text", result.get("caption")),
                params=params.as_record(),
                time=time.time(),
                message=dict(result),
                answer_held=held,
            )
        )

    async def _hold(self) -> None:
        """Keep the answer back longer than the client waits (ends early on ``stop()``)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.faults.timeout_hold_s):
                await self._stopping.wait()

    async def _execute(
        self, name: str, handler: Handler, params: Params, record: CallRecord
    ) -> Any:
        """Faults, then limits, then the handler; a time-out fault holds the answer."""
        fault = self.fault_injector.decide(name, record.chat_id)
        record.fault = fault.value if fault is not None else None
        self._inject_fault(fault, record.chat_id)
        reservation = self._reserve(name, params, record.chat_id)
        try:
            result = await handler(params)
        except ApiError:
            if reservation is not None:
                self.limiter.release(reservation)
            raise
        value = result.result if isinstance(result, Described) else result
        self._record_sent(record, params, value, held=fault is Fault.TIMEOUT)
        if fault is Fault.TIMEOUT:
            await self._hold()
        return result

    async def call(self, method: str, params: Params) -> tuple[int, dict[str, Any] | None]:
        """Run one API call; returns (HTTP status, JSON body or None for the HTML 502)."""
        name, handler = self._handlers.get(method.lower(), (method, None))
        record = CallRecord(name, params.as_record(), params.chat_id_hint(), time.time())
        self.state.calls.append(record)
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await self._execute(name, handler, params, record)
        except _GatewayFailure:
            record.status, record.description = 502, "Bad Gateway"
            return 502, None
        except ApiError as err:
            record.status, record.description = err.code, err.description
            return err.code, error_body(err)
        if isinstance(result, Described):
            return 200, {"ok": True, "result": result.result, "description": result.description}
        return 200, {"ok": True, "result": result}

    async def _webhook_reply(self, payload: dict[str, Any]) -> None:
        """Execute a method returned in a webhook answer, as Telegram does."""
        values = dict(payload)
        method = str(values.pop("method"))
        await self.call(method, Params(values))

    # --- HTTP -------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.StreamResponse:
        """``/bot<token>/<method>``: token check, parameter decoding, dispatch."""
        token = request.match_info["token"]
        if token != self.token:
            unauthorized = _TOKEN_SHAPE.fullmatch(token) is not None
            error = ApiError(401, "Unauthorized") if unauthorized else ApiError(404, "Not Found")
            return web.json_response(error_body(error), status=error.code)
        try:
            params = await read_params(request)
        except ApiError as err:
            return web.json_response(error_body(err), status=err.code)
        status, body = await self.call(request.match_info["method"], params)
        if body is None:
            return web.Response(status=status, text=_BAD_GATEWAY_PAGE, content_type="text/html")
        return web.json_response(body, status=status)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        """``/file/bot<token>/<file_path>``: downloads of files known to getFile."""
        stored = self.state.file_by_path(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(error_body(ApiError(404, "Not Found")), status=404)
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, content_type=content_type)

    @property
    def root_url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._root is None:
            raise RuntimeError("BotApiStandin is not started")
        return self._root

    @property
    def base_url(self) -> str:
        """Value for PTB's ``base_url`` (the token is appended by PTB)."""
        return f"{self.root_url}/bot"

    @property
    def file_base_url(self) -> str:
        """Value for PTB's ``base_file_url``."""
        return f"{self.root_url}/file/bot"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen (port 0 picks a free port) and return the ``base_url`` for PTB."""
        if self._runner is not None:
            raise RuntimeError("BotApiStandin is already started")
        self._stopping.clear()
        app = web.Application(client_max_size=self._max_upload)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        add_control_routes(app, self)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound_port = runner.addresses[0][1]
        shown_host = f"[{host}]" if ":" in host else host
        self._root = f"http://{shown_host}:{bound_port}"
        return self.base_url

    async def stop(self) -> None:
        """Release long polls and held answers, stop webhook delivery, close the server."""
        self._stopping.set()
        await self.updates.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self._root = None

    async def __aenter__(self) -> Self:
        """Start on loopback with an ephemeral port."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop, whatever happened inside the block."""
        await self.stop()
