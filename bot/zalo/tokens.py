"""The OA's access token: refreshed ahead of expiry, once at a time, stored before it is used.

Access tokens last about 25 hours; refresh tokens 3 months, single-use, rotating. So:

* one refresh at a time: in this process a lock (concurrent callers wait and take its
  result), across processes the token row's lock held for the whole refresh;
* the new pair is stored and committed before anyone uses it (the old refresh token is
  spent the moment Zalo answers);
* a refresh waits until the requests in flight with the old token have their answer and
  holds new ones back until it is done, so no request of this process carries a token
  it has already rotated out (another process's rotation shows up as -216 and is
  adopted from the database without a second refresh);
* a background keeper refreshes ahead of expiry even when nothing is sent, so the
  refresh token never lapses unused.

The first pair comes from ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN when nothing is stored
yet; its expiry is unknown, so it is refreshed at once. Tokens are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.zalo.api import RefreshFailed, ZaloApi
from consultations import channel_tokens
from consultations.channel_tokens import TokenPair
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
AHEAD = timedelta(hours=1)  # refresh when less than this is left of the access token
REFRESH_LIFETIME = timedelta(days=90)
RETRY_AFTER_FAILURE = timedelta(minutes=1)  # no new refresh attempt sooner than this
KEEP_EVERY_S = 300.0


@dataclass(frozen=True)
class Token:
    """An access token lent for one request, with the version it belongs to."""

    value: str = field(repr=False)
    version: int


class TokenManager:
    """Hands out the OA's access token and refreshes it; one per process and OA."""

    def __init__(
        self, uows: UnitOfWorkFactory, api: ZaloApi, *, name: str,
        seed: TokenPair | None = None, ahead: timedelta = AHEAD,
    ) -> None:
        self._uows, self._api, self.name = uows, api, name
        self._seed, self._ahead = seed, ahead
        self._cached: TokenPair | None = None
        self._refresh_lock = asyncio.Lock()
        self._gate = asyncio.Condition()
        self._in_flight = 0
        self._refreshing = False
        self._failed_at: datetime | None = None
        self.refreshes = 0  # successful refreshes made by this manager

    def _now(self) -> datetime:
        return self._uows.clock.now()

    def due(self, pair: TokenPair) -> bool:
        return self._now() >= pair.access_expires_at - self._ahead

    async def load(self, *, reload: bool = False) -> TokenPair:
        """The current pair (cached), seeding the table from configuration when it is empty."""
        if self._cached is not None and not reload:
            return self._cached
        async with self._uows() as uow:
            pair = await channel_tokens.current(uow, self.name)
            if pair is None and self._seed is not None:
                await channel_tokens.seed(uow, self.name, self._seed)
                await uow.commit()
                pair = await channel_tokens.current(uow, self.name)
        if pair is None:
            raise RefreshFailed("no Zalo OA token stored or configured")
        # A slow read must not put back a pair that a refresh meanwhile replaced: a task
        # lent the older token would then send with one Zalo has rotated out.
        if self._cached is None or pair.version > self._cached.version:
            self._cached = pair
        return self._cached

    @asynccontextmanager
    async def use(self) -> AsyncIterator[Token]:
        """A token for one request; a due token is refreshed first.

        If that refresh fails the current token is lent anyway: it may well still work
        (a configured one's expiry is unknown), and Zalo says so with -216/-220 if not.
        """
        pair = await self.load()
        if self.due(pair) and not self._recently_failed():
            try:
                pair = await self.refresh(pair.version)
            except RefreshFailed as error:
                log.warning("Zalo OA token refresh failed (%s); using the current token", error)
        async with self._gate:
            await self._gate.wait_for(lambda: not self._refreshing)
            pair = self._cached or pair
            self._in_flight += 1
        try:
            yield Token(pair.access_token, pair.version)
        finally:
            async with self._gate:
                self._in_flight -= 1
                self._gate.notify_all()

    def _recently_failed(self) -> bool:
        return self._failed_at is not None and self._now() < self._failed_at + RETRY_AFTER_FAILURE

    async def refresh(self, stale_version: int) -> TokenPair:
        """Replace the pair whose `stale_version` was found wanting (due, or refused by Zalo).

        When a newer version exists already (refreshed meanwhile by another task or
        process) that one is returned and nothing is refreshed.
        """
        async with self._refresh_lock:
            if self._cached is not None and self._cached.version > stale_version:
                return self._cached
            async with self._gate:
                self._refreshing = True
                await self._gate.wait_for(lambda: self._in_flight == 0)
            try:
                return await _uninterrupted(self._refresh_stored(stale_version))
            finally:
                async with self._gate:
                    self._refreshing = False
                    self._gate.notify_all()

    async def _refresh_stored(self, stale_version: int) -> TokenPair:
        """Under the row lock: adopt a newer stored pair, or refresh, store and commit."""
        async with self._uows() as uow:
            pair = await channel_tokens.lock(uow, self.name)
            if pair is None:
                raise RefreshFailed("no Zalo OA token stored")
            if pair.version > stale_version:
                self._cached = pair
                return pair
            if self._recently_failed():  # do not hammer an OAuth server that just refused
                raise RefreshFailed("the last refresh failed less than a minute ago")
            try:
                fresh = await self._api.refresh(pair.refresh_token)
            except RefreshFailed:
                self._failed_at = self._now()
                raise
            now = uow.now()
            stored = await channel_tokens.store(uow, self.name, TokenPair(
                fresh.access_token, fresh.refresh_token,
                now + timedelta(seconds=fresh.expires_in), now + REFRESH_LIFETIME,
            ))
            await uow.commit()
        self._cached, self._failed_at = stored, None
        self.refreshes += 1
        log.info("Zalo OA tokens refreshed (version %d, valid until %s)",
                 stored.version, f"{stored.access_expires_at:%Y-%m-%d %H:%M} UTC")
        return stored

    async def check(self) -> None:
        """Refresh the stored pair if it is due (another process may have done so already)."""
        try:
            pair = await self.load(reload=True)
            if self.due(pair) and not self._recently_failed():
                await self.refresh(pair.version)
        except RefreshFailed as error:
            log.warning("Zalo OA token refresh failed: %s", error)

    async def keep_fresh(self, every: float = KEEP_EVERY_S) -> None:
        """Check at once and then every `every` seconds, so tokens stay fresh while idle."""
        while True:
            try:
                await self.check()
            except Exception:  # the database away: try again at the next check
                log.exception("Zalo OA token check failed")
            await asyncio.sleep(every)


async def _uninterrupted(work: Coroutine[Any, Any, TokenPair]) -> TokenPair:
    """Run a refresh to its end even if the caller is cancelled (a shutdown, mostly).

    Once Zalo has answered, the old refresh token is spent: abandoning the refresh
    before the new pair is committed would break the chain for good. So the work runs
    in its own task, shielded; a cancelled caller waits for it, then is cancelled.
    """
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await task
        raise
