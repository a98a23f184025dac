"""Signing in and out of the console, and the gate every other page passes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from bot.admin import session
from bot.admin.forms import read_form
from bot.admin.remote import remote_addr
from bot.admin.render import locale_of, page, redirect, text
from bot.admin.state import USER, console_of
from bot.admin.work import unit, user_of
from consultations import audit
from consultations.console import signin
from consultations.console.access import load_user
from handlers.texts import LOCALES

HOME = "/admin/rounds"
LOGIN = "/admin/login"
PUBLIC_PREFIXES = ("/admin/login", "/admin/static/", "/admin/language")
MAX_PASSWORD_CHARS = 1024
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def safe_next(value: str | None) -> str:
    """Only a console path is a place to go back to (no open redirect to another site)."""
    if value and value.startswith("/admin/") and not value.startswith(("//", "/admin//")) \
            and "\\" not in value:
        return value
    return HOME


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(PUBLIC_PREFIXES):
        return await handler(request)
    staff_id, expired = session.signed_in_staff(request)
    user = None
    if staff_id is not None:
        async with console_of(request).ctx.uow() as uow:
            user = await load_user(uow, staff_id)
        if user is None:
            session.end(request)
    if user is None:
        if expired:
            session.flash(request, "admin.login.expired")
        target = LOGIN
        if request.method == "GET" and request.path.startswith("/admin/"):
            target += "?next=" + quote(request.path_qs, safe="")
        return redirect(target)
    request[USER] = user
    return await handler(request)


async def login_form(request: web.Request) -> web.StreamResponse:
    staff_id, _ = session.signed_in_staff(request)
    if staff_id is not None:
        return redirect(safe_next(request.query.get("next")))
    return page(request, "login.html", next=safe_next(request.query.get("next")), errors={},
                login="")


async def login_submit(request: web.Request) -> web.StreamResponse:
    form = await read_form(request)
    login, password = form.get("login").strip(), form.get("password")
    target = safe_next(form.get("next"))
    errors = {}
    if not login:
        errors["login"] = text(request, "admin.login.login_required")
    if not password or len(password) > MAX_PASSWORD_CHARS:
        errors["password"] = text(request, "admin.login.password_required")
    if errors:
        return page(request, "login.html", status=400, next=target, errors=errors, login=login)
    async with unit(request) as uow:
        result = await signin.sign_in(uow, login, password, remote_addr(request))
        await uow.commit()
    if result.user is not None:
        session.start(request, result.user.id)
        return redirect(target)
    if result.locked_until is not None:
        tz = console_of(request).ctx.settings.tz
        until = result.locked_until.astimezone(tz).strftime("%H:%M")
        response = page(request, "login.html", status=429, next=target, login=login,
                        errors={"form": text(request, "admin.login.locked", until=until)})
        wait = result.locked_until - console_of(request).ctx.uow.clock.now()
        response.headers["Retry-After"] = str(max(1, int(wait.total_seconds())))
        return response
    return page(request, "login.html", status=401, next=target, login=login,
                errors={"form": text(request, "admin.login.failed")})


async def logout(request: web.Request) -> web.StreamResponse:
    user = user_of(request)
    async with unit(request) as uow:
        audit.record(uow, user.actor, "console.logout", f"staff:{user.id}")
        await uow.commit()
    session.end(request)
    session.flash(request, "admin.logout.done")
    return redirect(LOGIN)


async def language(request: web.Request) -> web.StreamResponse:
    """Switch the console between Vietnamese and English; stays on the same page."""
    form = await read_form(request)
    chosen = form.get("locale")
    if chosen in LOCALES and chosen != locale_of(request):
        session.session_of(request)["locale"] = chosen
    return redirect(safe_next(form.get("next")))


def setup_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/login", login_form)
    router.add_post("/login", login_submit)
    router.add_post("/logout", logout)
    router.add_post("/language", language)
