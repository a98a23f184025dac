"""The e-mail "bridge": no routes and nothing to start, only a sender for the dispatcher.

It exists so the runtime treats e-mail like every other channel: one line in
`enabled_bridges` when SMTP_HOST is set.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.context import AppContext
from bot.email.sender import Attachments, EmailSender, SmtpConfig
from bot.outbox.sender import ChannelSender
from bot.settings import Settings
from consultations.digests import export
from consultations.errors import NotFound
from handlers import digest_xlsx
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


def smtp_config(settings: Settings) -> SmtpConfig:
    """The SMTP settings; the sender address defaults to the login, then to a local name."""
    if not settings.smtp_host:
        raise ValueError("SMTP_HOST is not set")
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from or settings.smtp_username or f"consultbot@{settings.smtp_host}",
        username=settings.smtp_username,
        password=password,
        starttls=settings.smtp_starttls,
    )


def attachment_loader(uows: UnitOfWorkFactory, tz_name: str) -> Attachments:
    """Reads the file a payload names: the spreadsheet of a digest's period comments.

    Built when sent, not stored: the comments are in the database already, and a resend
    after a failure builds the same rows again. The workbook is written in a thread, so
    the dispatcher's other channels go on meanwhile.
    """

    async def load(spec: dict[str, object]) -> tuple[str, bytes] | None:
        digest_id = spec.get("digest_id")
        if spec.get("kind") != "digest_xlsx" or not isinstance(digest_id, int):
            return None
        try:
            async with uows() as uow:
                comments = await export.period_comments(uow, digest_id)
        except NotFound:
            return None
        locale = str(spec.get("locale") or "vi")
        data = await asyncio.to_thread(digest_xlsx.xlsx_bytes, comments, locale, tz_name)
        return str(spec.get("name") or f"digest-{digest_id}.xlsx"), data

    return load


class EmailBridge:
    """Hands the dispatcher an SMTP sender whose attachments are read from the database.

    For the runtime: `if settings.smtp_host: bridges.append(EmailBridge(ctx))`.
    """

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        loader = attachment_loader(ctx.uow, ctx.settings.tz_name)
        self.sender = EmailSender(smtp_config(ctx.settings), loader)

    def setup_routes(self, app: web.Application) -> None:
        """E-mail has no webhook."""

    async def start(self) -> None:
        log.info(
            "e-mail digests go through %s:%d", self.sender.config.host, self.sender.config.port
        )

    async def stop(self) -> None:
        """Nothing is held open: each message is one SMTP session."""

    def senders(self) -> list[ChannelSender]:
        return [self.sender]
