"""The two Zalo endpoints the OA bridge calls: send a consultation message, refresh tokens.

Zalo answers HTTP 200 with ``{"error": <code>, "message": ...}``: 0 is success, anything
else a refusal (-216 invalid token, -220 expired token, -230 user outside the 7-day
window, -32 rate limit...). The OAuth endpoint answers its errors as ``{"error": <code>,
"error_name": ..., "error_reason": ..., "error_description": ...}``. Tokens travel only in
headers and form fields; no error or log line built here contains one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp

SEND_PATH = "/v3.0/oa/message/cs"
REFRESH_PATH = "/v4/oa/access_token"
SEND_TIMEOUT = 10.0
# Short: on SQLite the refresh runs while the token row's transaction holds the write lock.
REFRESH_TIMEOUT = 4.0


@dataclass(frozen=True)
class Answer:
    """How one send ended: Zalo's error code (0 is success), or no usable answer."""

    http_status: int | None = None  # None: time-out or network failure
    error: int | None = None  # the body's "error"; None when the body was not Zalo's JSON
    message: str = ""  # short reason for the log; never message text or a token
    ambiguous: bool = False  # a time-out after sending: Zalo may have delivered it


@dataclass(frozen=True)
class Refreshed:
    """A fresh pair from the OAuth server; `expires_in` in seconds (Zalo: 90,000, 25 hours)."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int = 90_000


class RefreshFailed(Exception):
    """The refresh was refused or never answered; the reason names no token."""

    def __init__(self, reason: str, *, code: int | None = None) -> None:
        super().__init__(reason)
        self.code = code


class ZaloApi:
    """One aiohttp session for the OA's calls; `open()` before use, `close()` after."""

    def __init__(
        self, api_base: str, oauth_base: str, app_id: str, app_secret: str,
        *, send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        self.send_timeout = send_timeout
        self._send_url = api_base.rstrip("/") + SEND_PATH
        self._refresh_url = oauth_base.rstrip("/") + REFRESH_PATH
        self._app_id, self._app_secret = app_id, app_secret
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("ZaloApi.open() was not called")
        return self._session

    async def send(self, access_token: str, user_id: str, message: dict[str, Any]) -> Answer:
        """POST one consultation message to one user."""
        body = {"recipient": {"user_id": user_id}, "message": message}
        headers = {"access_token": access_token}
        try:
            async with self._client().post(
                self._send_url, json=body, headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.send_timeout),
            ) as response:
                status, raw = response.status, await response.read()
        except TimeoutError:
            return Answer(message="timeout", ambiguous=True)
        except aiohttp.ClientConnectorError:
            return Answer(message="connection refused")
        except aiohttp.ClientError as error:
            return Answer(message=type(error).__name__, ambiguous=True)
        data = _json(raw)
        code = data.get("error") if data is not None else None
        if not isinstance(code, int):
            return Answer(http_status=status, message=f"HTTP {status}")
        return Answer(status, code, str(data.get("message") or "")[:120] if data else "")

    async def refresh(self, refresh_token: str) -> Refreshed:
        """Trade the (single-use) refresh token for a new pair; RefreshFailed otherwise."""
        form = {"refresh_token": refresh_token, "app_id": self._app_id,
                "grant_type": "refresh_token"}
        try:
            async with self._client().post(
                self._refresh_url, data=form, headers={"secret_key": self._app_secret},
                timeout=aiohttp.ClientTimeout(total=REFRESH_TIMEOUT),
            ) as response:
                status, raw = response.status, await response.read()
        except TimeoutError:
            raise RefreshFailed("timeout") from None
        except aiohttp.ClientError as error:
            raise RefreshFailed(type(error).__name__) from None
        return _refreshed(status, _json(raw))


def _json(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _refreshed(status: int, data: dict[str, Any] | None) -> Refreshed:
    if data is None:
        raise RefreshFailed(f"HTTP {status}, not JSON")
    access, refresh = data.get("access_token"), data.get("refresh_token")
    if isinstance(access, str) and access and isinstance(refresh, str) and refresh:
        expires = str(data.get("expires_in") or "")
        return Refreshed(access, refresh, int(expires) if expires.isdigit() else 90_000)
    code = data.get("error")
    reason = str(data.get("error_reason") or data.get("error_name") or data.get("message") or "")
    raise RefreshFailed(f"HTTP {status}: {code} {reason[:120]}".strip(),
                        code=code if isinstance(code, int) else None)
