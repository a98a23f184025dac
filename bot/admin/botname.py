"""The Telegram bot's @username, asked of the Bot API once and remembered.

The console builds t.me deep links with it. The Telegram bridge learns the name
at start, but the console is mounted before bridges exist and must not depend on
one, so it asks getMe itself on first need (a cheap, idempotent call) and caches
the answer. When Telegram cannot be reached the link is simply not shown, and
asked for again a minute later.
"""

from __future__ import annotations

import logging
import time

import aiohttp

from bot.settings import Settings

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 60.0
TIMEOUT = aiohttp.ClientTimeout(total=3)


class BotUsername:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._name: str | None = None
        self._failed_at: float | None = None

    @property
    def configured(self) -> bool:
        return self._settings.telegram_bot_token is not None

    async def get(self) -> str | None:
        """The username without "@", or None when no token is set or Telegram did not answer."""
        token = self._settings.telegram_bot_token
        if token is None or self._name is not None:
            return self._name
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER_SECONDS:
            return None
        base = self._settings.telegram_api_base_url.rstrip("/")
        try:
            async with (
                aiohttp.ClientSession(timeout=TIMEOUT) as client,
                client.get(f"{base}/bot{token.get_secret_value()}/getMe") as response,
            ):
                data = await response.json(content_type=None)
            name = data.get("result", {}).get("username") if data.get("ok") else None
        except (aiohttp.ClientError, TimeoutError, ValueError, AttributeError):
            name = None
        if not isinstance(name, str) or not name:
            log.warning("Telegram getMe gave no username; the t.me link is hidden for now")
            self._failed_at = time.monotonic()
            return None
        self._name = name
        return name
