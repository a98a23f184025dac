"""A unit of work for a console request: audit entries carry who and from where."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.admin.remote import remote_addr
from bot.admin.state import USER, console_of
from consultations.console import audit_stamp
from consultations.console.access import StaffUser
from storage.uow import UnitOfWork


@asynccontextmanager
async def unit(request: web.Request) -> AsyncIterator[UnitOfWork]:
    user = request.get(USER)
    async with console_of(request).ctx.uow() as uow:
        audit_stamp.attach(
            uow, staff_id=user.id if user else None, remote_addr=remote_addr(request)
        )
        yield uow


def user_of(request: web.Request) -> StaffUser:
    """The signed-in person; the auth middleware guarantees one on every non-public page."""
    return request[USER]


def actor_of(request: web.Request) -> str:
    user = request.get(USER)
    return user.actor if user is not None else "anonymous"
