"""PTB's HTTP transport on aiohttp instead of httpx.

A bare PTB echo bot spends most of its CPU time inside httpx; aiohttp, which the rest of the
server already runs on, does the same work about five times cheaper. This module mirrors the
contract of ``telegram.request.HTTPXRequest`` (constructor defaults, ``DEFAULT_NONE`` handling,
form-urlencoded vs. multipart bodies, error mapping) so it can be swapped in transparently::

    Application.builder().token(token).request(AiohttpRequest()) \\
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
"""

from __future__ import annotations

import asyncio
import urllib.parse
from typing import Any, Final

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest"]

_POOL_TIMEOUT_MESSAGE: Final = (
    "Pool timeout: All connections in the connection pool are occupied. "
    "Request was *not* sent to Telegram. Consider adjusting the connection "
    "pool size or the pool timeout."
)


class AiohttpRequest(BaseRequest):
    """``BaseRequest`` implementation backed by one shared ``aiohttp.ClientSession``.

    Timeout semantics, compared with ``HTTPXRequest``:

    * ``pool_timeout`` bounds the wait for a free slot of the connection pool. It is enforced
      here (not by aiohttp) so that a pool time-out is distinguishable: such a request was
      certainly *not* sent, and may be retried without risking a duplicate message.
    * ``connect_timeout`` bounds establishing the TCP/TLS connection.
    * ``read_timeout`` bounds the wait for each chunk of the response once the request body has
      been written (aiohttp's ``sock_read``).
    * aiohttp has no per-write time-out. For uploads (the only requests with a sizeable body)
      ``write_timeout`` (``media_write_timeout`` by default) is folded into an overall deadline
      of ``connect + write + read`` seconds, so a stalled upload still ends in ``TimedOut``.
      Other requests get no overall deadline, so slow file downloads are bounded per chunk only,
      as with httpx.

    ``None`` means "no limit" for each of them, as in PTB.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_slots",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_shut_down",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        """Store the defaults; the session is created later because it needs a running loop."""
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._pool_slots: asyncio.Semaphore | None = None
        self._shut_down = False

    @property
    def read_timeout(self) -> float | None:
        """PTB adds the long-poll ``timeout`` of getUpdates to this default, so expose it."""
        return self._read_timeout

    @property
    def connection_pool_size(self) -> int:
        """Maximum number of simultaneous connections (and requests in flight)."""
        return self._pool_size

    def _open_session(self) -> aiohttp.ClientSession:
        """Create the shared session and pool; one per request object keeps keep-alive warm."""
        connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.USER_AGENT},
            timeout=aiohttp.ClientTimeout(total=None),
            raise_for_status=False,
        )
        self._pool_slots = asyncio.Semaphore(self._pool_size)
        self._shut_down = False
        return self._session

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown), as PTB's Application expects."""
        if self._session is None or self._session.closed:
            self._open_session()

    async def shutdown(self) -> None:
        """Close the session and its connections; calling it twice is harmless, as in PTB."""
        self._shut_down = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _session_for_request(self) -> aiohttp.ClientSession:
        """Return the live session, creating it lazily for a Bot used without ``initialize()``."""
        if self._session is not None and not self._session.closed:
            return self._session
        if self._shut_down:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        return self._open_session()

    def _resolve_timeouts(
        self,
        read_timeout: ODVInput[float],
        write_timeout: ODVInput[float],
        connect_timeout: ODVInput[float],
        pool_timeout: ODVInput[float],
        has_files: bool,
    ) -> tuple[float | None, float | None, float | None, float | None]:
        """Replace PTB's ``DEFAULT_NONE`` markers by this object's defaults (read, write, ...)."""
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self._read_timeout
        if isinstance(write_timeout, DefaultValue):
            write_timeout = self._media_write_timeout if has_files else self._write_timeout
        if isinstance(connect_timeout, DefaultValue):
            connect_timeout = self._connect_timeout
        if isinstance(pool_timeout, DefaultValue):
            pool_timeout = self._pool_timeout
        return read_timeout, write_timeout, connect_timeout, pool_timeout

    @staticmethod
    def _client_timeout(
        read: float | None, write: float | None, connect: float | None, has_files: bool
    ) -> aiohttp.ClientTimeout:
        """Translate PTB's timeouts into aiohttp's model (see the class docstring)."""
        total = None
        if has_files and read is not None and write is not None and connect is not None:
            total = read + write + connect
        return aiohttp.ClientTimeout(
            total=total, connect=connect, sock_connect=connect, sock_read=read
        )

    @staticmethod
    def _body(request_data: RequestData | None) -> Any:
        """Build the body like HTTPXRequest: urlencoded fields, or multipart when uploading."""
        if request_data is None:
            return None
        fields = request_data.json_parameters
        if not request_data.contains_files:
            # What aiohttp makes of a dict, without a FormData per request: building one
            # (it always sets up a multipart writer with a uuid4 boundary) was 8% of the
            # dispatcher's CPU time in the broadcast benchmark.
            body = urllib.parse.urlencode(fields).encode()
            return aiohttp.BytesPayload(body, content_type="application/x-www-form-urlencoded")
        form = aiohttp.FormData()
        for name, value in fields.items():
            form.add_field(name, value)
        for name, (filename, content, mime_type) in request_data.multipart_data.items():
            form.add_field(name, content, filename=filename, content_type=mime_type)
        return form

    async def _acquire_slot(self, pool_timeout: float | None) -> asyncio.Semaphore:
        """Wait for a pool slot; a time-out here means the request never left this process."""
        slots = self._pool_slots
        assert slots is not None, "session and pool are created together"
        if not slots.locked():
            await slots.acquire()
            return slots
        try:
            async with asyncio.timeout(pool_timeout):
                await slots.acquire()
        except TimeoutError as err:
            raise TimedOut(message=_POOL_TIMEOUT_MESSAGE) from err
        return slots

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; PTB turns the status and body into results or TelegramErrors."""
        session = self._session_for_request()
        has_files = bool(request_data and request_data.contains_files)
        read, write, connect, pool = self._resolve_timeouts(
            read_timeout, write_timeout, connect_timeout, pool_timeout, has_files
        )
        slots = await self._acquire_slot(pool)
        try:
            async with session.request(
                method,
                url,
                data=self._body(request_data),
                timeout=self._client_timeout(read, write, connect, has_files),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            # Covers asyncio time-outs and aiohttp.ServerTimeoutError (a TimeoutError subclass).
            raise TimedOut from err
        except (aiohttp.ClientError, OSError) as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
        finally:
            slots.release()
