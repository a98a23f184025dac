"""``POST /v3.0/oa/message/cs``: the consultation message endpoint, checked like Zalo checks it.

Zalo answers HTTP 200 with an ``error`` code for every refusal. Checked here: the
``access_token`` header (-216 unknown or rotated out, -220 expired), the body (-201),
the text (at most 2,000 characters, -210 beyond), the button template (at most 5
buttons, titles of 1-100 characters, query payloads of at most 1,000, known button
types), and the 7-day window per user (-230).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .faults import ERROR_MESSAGES, FaultQueue
from .state import SentMessage, StandinState

MAX_TEXT = 2000
MAX_BUTTONS = 5
MAX_TITLE = 100
MAX_QUERY_PAYLOAD = 1000
BUTTON_TYPES = {"oa.query.show", "oa.query.hide", "oa.open.url", "oa.open.phone", "oa.open.sms"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def zalo_error(code: int, message: str | None = None) -> web.Response:
    return web.json_response({"error": code, "message": message or ERROR_MESSAGES.get(code, "")})


def send_handler(state: StandinState, faults: FaultQueue) -> Handler:
    async def send(request: web.Request) -> web.StreamResponse:
        if state.calls.over():
            return zalo_error(-32)
        token_error = _check_token(state, request.headers.get("access_token", ""))
        body = _json(await request.read())
        user_id = _user(body)
        if token_error is None and user_id is not None:
            fault = faults.take(user_id)
            if fault is not None:
                token = request.headers.get("access_token", "")
                return await _inject(fault, state, token, user_id, body, faults.timeout_hold_s)
        if token_error is not None:
            state.refused.append((user_id or "", token_error))
            return zalo_error(token_error)
        if user_id is None or body is None:
            return zalo_error(-201, "recipient.user_id is invalid")
        problem = message_problem(body.get("message"))
        if problem is not None:
            return zalo_error(*problem)
        if user_id in state.outside_window:
            state.refused.append((user_id, -230))
            return zalo_error(-230)
        return _accept(state, request.headers["access_token"], user_id, body["message"])

    return send


def _check_token(state: StandinState, token: str) -> int | None:
    pair = state.tokens.by_access(token) if token else None
    if pair is None:
        return -216
    if pair.rotated_out:
        state.stale_token_uses += 1
        return -216
    if pair.access_expires <= time.time():
        return -220
    return None


def _json(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _user(body: dict[str, Any] | None) -> str | None:
    recipient = (body or {}).get("recipient")
    user = recipient.get("user_id") if isinstance(recipient, dict) else None
    return user if isinstance(user, str) and user else None


def message_problem(message: Any) -> tuple[int, str] | None:
    """What Zalo would refuse in a ``message`` object, as (error, message); None if fine."""
    if not isinstance(message, dict):
        return -201, "message is invalid"
    text = message.get("text")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        return -201, "message.text is invalid"
    if isinstance(text, str) and len(text) > MAX_TEXT:
        return -210, f"message.text exceeds {MAX_TEXT} characters"
    attachment = message.get("attachment")
    if attachment is None:
        return None if text else (-201, "message is empty")
    return _template_problem(attachment)


def _template_problem(attachment: Any) -> tuple[int, str] | None:
    payload = attachment.get("payload") if isinstance(attachment, dict) else None
    if not isinstance(attachment, dict) or attachment.get("type") != "template":
        return -201, "attachment.type is invalid"
    buttons = payload.get("buttons") if isinstance(payload, dict) else None
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_BUTTONS:
        return -201, "attachment.payload.buttons is invalid"
    for button in buttons:
        if not isinstance(button, dict) or button.get("type") not in BUTTON_TYPES:
            return -201, "button.type is invalid"
        title = button.get("title")
        if not isinstance(title, str) or not 1 <= len(title) <= MAX_TITLE:
            return -201, "button.title is invalid"
        query = str(button["type"]).startswith("oa.query.")
        value = button.get("payload")
        if query and (not isinstance(value, str) or not 0 < len(value) <= MAX_QUERY_PAYLOAD):
            return -201, "button.payload is invalid"
    return None


def _accept(state: StandinState, token: str, user_id: str, message: dict[str, Any]) -> web.Response:
    pair = state.tokens.by_access(token)
    message_id = secrets.token_hex(16)
    version = pair.version if pair is not None else 0
    state.sent.append(SentMessage(user_id, message, message_id, version))
    return web.json_response(
        {"error": 0, "message": "Success", "data": {"message_id": message_id, "user_id": user_id}}
    )


async def _inject(
    fault: int | str, state: StandinState, token: str, user_id: str,
    body: dict[str, Any] | None, hold_s: float,
) -> web.StreamResponse:
    """Answer with the injected fault; a time-out still delivers (the client cannot know)."""
    if fault == "timeout":
        if body is not None and message_problem(body.get("message")) is None:
            _accept(state, token, user_id, body["message"])
        await asyncio.sleep(hold_s)
        return zalo_error(0, "Success")
    assert isinstance(fault, int)
    if fault >= 500:
        return web.Response(status=fault, text="<html><body>Server Error</body></html>",
                            content_type="text/html")
    state.refused.append((user_id, fault))
    return zalo_error(fault)
