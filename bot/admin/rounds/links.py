"""Deep links and QR codes that bring citizens straight to one round, per channel.

* Web chat: PUBLIC_URL (or the address the console is reached at) + "/?r=<id>".
* Telegram: https://t.me/<bot username>?start=r<id>, when a bot token is set and
  the Bot API told us the username (see bot.admin.botname).
* Zalo OA: https://zalo.me/<OA id> opens the Official Account's chat; Zalo has
  no per-round start parameter for an OA, so the citizen then picks the draft.

QR codes are made here (segno), as data: images, for posters and slides.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from aiohttp import web

from bot.admin.state import console_of


@dataclass(frozen=True)
class ShareLink:
    channel: str
    url: str
    qr_svg: str
    qr_png: str
    note_key: str | None = None


def _link(channel: str, url: str, note_key: str | None = None) -> ShareLink:
    qr = segno.make(url, error="m")
    return ShareLink(
        channel=channel,
        url=url,
        qr_svg=qr.svg_data_uri(scale=4, border=2),
        qr_png=qr.png_data_uri(scale=10, border=4),
        note_key=note_key,
    )


def web_base(request: web.Request) -> str:
    settings = console_of(request).ctx.settings
    return (settings.public_url or f"{request.scheme}://{request.host}").rstrip("/")


async def share_links(request: web.Request, round_id: int) -> list[ShareLink]:
    console = console_of(request)
    links = [_link("webchat", f"{web_base(request)}/?r={round_id}", "admin.share.webchat_note")]
    if console.bot_username.configured:
        username = await console.bot_username.get()
        if username is not None:
            links.append(_link("telegram", f"https://t.me/{username}?start=r{round_id}"))
    oa_id = console.ctx.settings.zalo_oa_id
    if oa_id:
        links.append(_link("zalo", f"https://zalo.me/{oa_id}", "admin.share.zalo_note"))
    return links


def telegram_unreachable(request: web.Request, links: list[ShareLink]) -> bool:
    """A token is set but no username came back: the page says why the link is missing."""
    configured = console_of(request).bot_username.configured
    return configured and not any(link.channel == "telegram" for link in links)
