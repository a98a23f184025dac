"""A small client for the Zalo Bot Platform API: POST `{base}/bot{token}/{method}`, JSON both ways.

Every answer is `{"ok": true, "result": ...}` or `{"ok": false, "error_code": N,
"description": "..."}`. Clients in the wild see errors with HTTP 200 and the code in
the body, so the body's `error_code` wins and the HTTP status is the fallback (a
gateway's 502 page is not JSON). The token is part of the URL, so no error raised
here ever carries the URL or aiohttp's message: only a status and a short reason.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 15.0
POLL_GRACE = 10.0  # the HTTP request waits this much longer than the long poll itself
NO_UPDATE = 408  # getUpdates: nothing arrived within the timeout


class ApiError(Exception):
    """The platform answered and refused: an error code and its description."""

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


class TransportError(Exception):
    """No usable answer; `ambiguous` when the request may have reached the platform."""

    def __init__(self, reason: str, *, ambiguous: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.ambiguous = ambiguous


class ZaloBotApi:
    """One bot token's API calls over one aiohttp session (open() before, close() after)."""

    def __init__(self, token: str, base_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._endpoint = f"{base_url.rstrip('/')}/bot{token}/"
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=64), raise_for_status=False
            )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, wait: float | None = None
    ) -> Any:
        """The method's `result`; raises ApiError or TransportError."""
        if self._session is None:
            raise TransportError("client not open", ambiguous=False)
        limit = aiohttp.ClientTimeout(total=wait or self.timeout)
        try:
            async with self._session.post(
                self._endpoint + method, json=params or {}, timeout=limit
            ) as response:
                raw = await response.read()
                status, retry_header = response.status, response.headers.get("Retry-After")
        except TimeoutError:
            raise TransportError("timeout", ambiguous=True) from None
        except aiohttp.ClientConnectorError:
            raise TransportError("connection refused", ambiguous=False) from None
        except aiohttp.ClientError as error:  # the request went out; the answer broke
            raise TransportError(type(error).__name__, ambiguous=True) from None
        return _result(status, raw, retry_header)

    async def get_me(self) -> dict[str, Any]:
        found = await self.call("getMe")
        return found if isinstance(found, dict) else {}

    async def get_updates(self, timeout_s: int) -> dict[str, Any] | None:
        """One update, or None when none came within `timeout_s` (error_code 408)."""
        try:
            found = await self.call(
                "getUpdates", {"timeout": str(timeout_s)}, wait=timeout_s + POLL_GRACE
            )
        except ApiError as error:
            if error.code == NO_UPDATE:
                return None
            raise
        return found if isinstance(found, dict) and found else None

    async def set_webhook(self, url: str, secret_token: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        found = await self.call("getWebhookInfo")
        return found if isinstance(found, dict) else {}

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        found = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return found if isinstance(found, dict) else {}


def _result(status: int, raw: bytes, retry_header: str | None) -> Any:
    """The `result` of a successful answer, or the ApiError/TransportError it amounts to."""
    try:
        body = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict) or "ok" not in body:
        if status >= 400:
            raise ApiError(status, "HTTP error without an API answer", _seconds(retry_header))
        raise TransportError(f"HTTP {status} answer is not the API's JSON", ambiguous=True)
    if body.get("ok") is True:
        return body.get("result")
    code = body.get("error_code")
    parameters = body.get("parameters")
    hint = parameters.get("retry_after") if isinstance(parameters, dict) else None
    raise ApiError(
        code if isinstance(code, int) else status,
        str(body.get("description") or "")[:200],
        _seconds(hint) or _seconds(retry_header),
    )


def _seconds(value: object) -> float | None:
    """A retry hint in seconds (a number or a numeric header), if there is one."""
    try:
        seconds = float(value) if isinstance(value, (int, float, str)) else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds >= 0 else None
