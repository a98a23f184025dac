"""Pages: one place that adds what every template needs and the security headers."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from bot.admin import csrf
from bot.admin.session import pop_flash, session_of
from bot.admin.state import USER, console_of
from consultations.errors import DomainError
from handlers.texts import LOCALES, has, t

# Nothing from elsewhere: no CDN, no fonts, no inline script; QR codes are data: images.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def locale_of(request: web.Request) -> str:
    locale = session_of(request).get("locale")
    return locale if locale in LOCALES else "vi"


def text(request: web.Request, key: str, **params: Any) -> str:
    return t(locale_of(request), key, **params)


def error_key(error: DomainError) -> str:
    """The catalog key for a domain refusal: the console's wording, else the chat's."""
    for key in (f"admin.error.{error.key}", f"error.{error.key}"):
        if has(key):
            return key
    return "admin.error.generic"


def error_text(request: web.Request, error: DomainError) -> str:
    return text(request, error_key(error), **error.params)


def _nav(request: web.Request) -> list[dict[str, Any]]:
    user = request.get(USER)
    if user is None:
        return []
    return [
        {"text_key": item.text_key, "path": item.path,
         "current": request.path.startswith(item.path)}
        for item in console_of(request).nav
        if user.can(item.permission)
    ]


def page(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    """Render a console template with the reader's language, user, CSRF token and navigation."""
    locale = locale_of(request)
    base = {
        "t": functools.partial(t, locale),
        "locale": locale,
        "user": request.get(USER),
        "csrf_token": csrf.token(request),
        "nav": _nav(request),
        "flash": pop_flash(request),
        "path": request.path_qs,
    }
    response = aiohttp_jinja2.render_template(template, request, base | context, status=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(location: str) -> web.Response:
    """303 See Other: after a POST the browser GETs the next page (no resubmission)."""
    return web.Response(status=303, headers={"Location": location, "Cache-Control": "no-store"})


def make_filters(tz: ZoneInfo) -> dict[str, Any]:
    """Times are stored in UTC and shown, and typed, in the settings' time zone."""

    def when(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
        return value.astimezone(tz).strftime(fmt) if value is not None else ""

    return {
        "when": when,
        "day": functools.partial(when, fmt="%d/%m/%Y"),
        "input_when": functools.partial(when, fmt="%Y-%m-%dT%H:%M"),
    }
