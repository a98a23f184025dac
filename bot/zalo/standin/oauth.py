"""``POST /v4/oa/access_token``: refresh-token grants, rotating like Zalo's.

A refresh token works once: the answer is a new pair, and every access token issued
before stops working (-216 on the send API). Errors come as HTTP 200 with Zalo's OAuth
error shape: ``{"error": <code>, "error_name", "error_reason", "error_description"}``.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from .state import StandinState

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
INVALID_PARAMETER = -14001
INVALID_APP_SECRET = -14003
INVALID_REFRESH_TOKEN = -14014
EXPIRED_REFRESH_TOKEN = -14020


def oauth_error(code: int, name: str, reason: str) -> web.Response:
    return web.json_response({
        "error": code,
        "error_name": name,
        "error_reason": reason,
        "ref_doc": "https://developers.zalo.me/docs/official-account/bat-dau/xac-thuc-va-uy-quyen-cho-ung-dung-new",
        "error_description": reason,
    })


def refresh_handler(
    state: StandinState, app_id: str, app_secret: str, delay: Callable[[], float]
) -> Handler:
    """`delay()` seconds pass between rotating the pair and answering (a slow network)."""

    async def refresh(request: web.Request) -> web.StreamResponse:
        state.tokens.refresh_calls += 1
        form = await request.post()
        if not secrets.compare_digest(request.headers.get("secret_key", ""), app_secret):
            return oauth_error(INVALID_APP_SECRET, "Invalid app secret", "secret_key is invalid")
        if form.get("app_id") != app_id or form.get("grant_type") != "refresh_token":
            return oauth_error(INVALID_PARAMETER, "Invalid parameter",
                               "app_id or grant_type is invalid")
        given = form.get("refresh_token")
        pair = state.tokens.by_refresh(given) if isinstance(given, str) and given else None
        if pair is None or pair.refresh_used:
            return oauth_error(INVALID_REFRESH_TOKEN, "Invalid refresh token",
                               "refresh_token is invalid or has been used")
        if pair.refresh_expires <= time.time():
            return oauth_error(EXPIRED_REFRESH_TOKEN, "Expired refresh token",
                               "refresh_token has expired")
        fresh = state.tokens.rotate(pair)
        await asyncio.sleep(delay())
        return web.json_response({
            "access_token": fresh.access_token,
            "refresh_token": fresh.refresh_token,
            "expires_in": "90000",
        })

    return refresh
