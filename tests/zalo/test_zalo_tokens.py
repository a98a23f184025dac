"""The OA's tokens: refreshed ahead of expiry, once at a time (across processes too), stored
before use; refused tokens refreshed and the message tried again; no token in a log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.outbox import Delivery, SendStatus
from bot.zalo.api import ZaloApi
from bot.zalo.bridge import token_name
from bot.zalo.sender import ZaloSender
from bot.zalo.standin import ZaloStandin
from bot.zalo.tokens import TokenManager
from consultations import channel_tokens, outbox
from consultations.channel_tokens import TokenPair
from handlers.messages import Reply
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.zalo.conftest import start_stack
from tests.zalo.helpers import eventually, say

NAME = token_name("388613280878808645")


@pytest.fixture
async def api(zalo: ZaloStandin) -> AsyncIterator[ZaloApi]:
    client = ZaloApi(zalo.root_url, zalo.root_url, zalo.app_id, zalo.app_secret)
    await client.open()
    yield client
    await client.close()


async def _store_initial(
    uow_factory: UnitOfWorkFactory, zalo: ZaloStandin, expires_in: timedelta
) -> None:
    async with uow_factory() as uow:
        pair = TokenPair(zalo.initial.access_token, zalo.initial.refresh_token,
                         uow.now() + expires_in)
        assert await channel_tokens.seed(uow, NAME, pair)
        await uow.commit()


def _delivery(n: int, user: str) -> Delivery:
    return Delivery(n, "zalo", user, Reply(f"Tin số {n}").to_payload(), 1)


async def _stored(uow_factory: UnitOfWorkFactory) -> TokenPair:
    async with uow_factory() as uow:
        pair = await channel_tokens.current(uow, NAME)
    assert pair is not None
    return pair


async def test_forty_sends_with_a_due_token_share_one_refresh_and_no_rotated_out_token(
    uow_factory: UnitOfWorkFactory, zalo: ZaloStandin, api: ZaloApi
) -> None:
    await _store_initial(uow_factory, zalo, timedelta(minutes=30))  # due: under an hour left
    tokens = TokenManager(uow_factory, api, name=NAME)
    sender = ZaloSender(api, tokens)

    results = await asyncio.gather(*(sender.send(_delivery(n, f"u{n % 10}")) for n in range(40)))

    assert {r.status for r in results} == {SendStatus.SENT}, results
    assert zalo.refreshes == 1 and tokens.refreshes == 1, "exactly one refresh for everyone"
    assert zalo.stale_token_uses == 0, "a request carried a token this process had rotated out"
    assert {m.token_version for m in zalo.sent} == {2}, "a send went out before the refresh"
    stored = await _stored(uow_factory)
    newest = zalo.state.tokens.pairs[-1]
    assert (stored.version, stored.access_token, stored.refresh_token) == (
        2, newest.access_token, newest.refresh_token), "the new pair was not stored"
    assert stored.access_expires_at == uow_factory.clock.now() + timedelta(seconds=90_000)


async def test_two_processes_needing_a_refresh_at_once_refresh_once(
    db_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock, zalo: ZaloStandin,
    api: ZaloApi,
) -> None:
    await _store_initial(uow_factory, zalo, timedelta(minutes=5))
    other_engine = create_engine(db_url)  # a second process: its own engine and pool
    try:
        other = UnitOfWorkFactory(session_factory(other_engine), clock)
        first = TokenManager(uow_factory, api, name=NAME)
        second = TokenManager(other, api, name=NAME)
        pairs = await asyncio.gather(first.refresh(1), second.refresh(1))
    finally:
        await other_engine.dispose()
    assert zalo.refreshes == 1, "both processes spent a refresh token"
    assert [p.version for p in pairs] == [2, 2], "one process did not adopt the other's pair"
    assert first.refreshes + second.refreshes == 1


async def test_a_shutdown_while_zalo_answers_a_refresh_still_stores_the_new_pair(
    uow_factory: UnitOfWorkFactory, zalo: ZaloStandin, api: ZaloApi
) -> None:
    await _store_initial(uow_factory, zalo, timedelta(minutes=5))
    zalo.refresh_delay_s = 0.3  # Zalo has rotated the pair; its answer is on the way
    keeper = asyncio.ensure_future(TokenManager(uow_factory, api, name=NAME).check())
    await eventually(lambda: zalo.refreshes == 1)
    keeper.cancel()
    with pytest.raises(asyncio.CancelledError):
        await keeper
    stored = await _stored(uow_factory)
    newest = zalo.state.tokens.pairs[-1].refresh_token
    assert (stored.version, stored.refresh_token) == (2, newest), (
        "the new pair was lost in the shutdown: the spent refresh token is all that is left"
    )


async def test_a_pair_rotated_by_another_process_is_adopted_without_refreshing_again(
    uow_factory: UnitOfWorkFactory, zalo: ZaloStandin, api: ZaloApi
) -> None:
    await _store_initial(uow_factory, zalo, timedelta(hours=20))
    ours = TokenManager(uow_factory, api, name=NAME)
    theirs = TokenManager(uow_factory, api, name=NAME)
    await ours.load()  # we hold version 1 in memory...
    await theirs.refresh(1)  # ...when another process rotates it

    result = await ZaloSender(api, ours).send(_delivery(1, "u1"))

    assert result.status is SendStatus.SENT
    assert zalo.refreshes == 1 and ours.refreshes == 0, "the rotated pair was refreshed twice"
    assert [m.token_version for m in zalo.sent] == [2]


@pytest.mark.parametrize("refusal", [-216, -220])
async def test_a_refused_token_is_refreshed_and_the_message_tried_once_more(
    uow_factory: UnitOfWorkFactory, zalo: ZaloStandin, api: ZaloApi, refusal: int
) -> None:
    await _store_initial(uow_factory, zalo, timedelta(hours=20))
    tokens = TokenManager(uow_factory, api, name=NAME)
    if refusal == -216:
        zalo.inject(-216)  # revoked: Zalo refuses a token that should still be valid
    else:
        zalo.expire_access_tokens()

    result = await ZaloSender(api, tokens).send(_delivery(1, "u1"))

    assert result.status is SendStatus.SENT, result
    assert zalo.refreshes == 1 and [m.token_version for m in zalo.sent] == [2]


async def test_a_spent_refresh_token_fails_the_send_for_a_retry_and_logs_no_token(
    uow_factory: UnitOfWorkFactory, zalo: ZaloStandin, api: ZaloApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _store_initial(uow_factory, zalo, timedelta(hours=20))
    await api.refresh(zalo.initial.refresh_token)  # spent elsewhere; the database never knew
    tokens = TokenManager(uow_factory, api, name=NAME)
    sender = ZaloSender(api, tokens)
    with caplog.at_level(logging.DEBUG):
        result = await sender.send(_delivery(1, "u1"))
        later = [await sender.send(_delivery(n, "u1")) for n in range(2, 6)]
        await tokens.check()

    assert result.status is SendStatus.RETRY and "-14014" in (result.error or ""), result
    assert {r.status for r in later} == {SendStatus.RETRY}
    assert zalo.state.tokens.refresh_calls == 2, "a refused refresh was tried for every message"
    logged = caplog.text + repr(result) + repr(await _stored(uow_factory))
    secrets = [v for p in zalo.state.tokens.pairs for v in (p.access_token, p.refresh_token)]
    assert not [s for s in secrets if s in logged], "a token reached the log or a repr"


async def test_the_configured_pair_is_refreshed_once_at_start_and_kept_across_restarts(
    db_url: str, engine: AsyncEngine, open_round: int, zalo: ZaloStandin
) -> None:
    first = await start_stack(db_url, zalo)
    try:
        await eventually(lambda: zalo.refreshes == 1)  # its expiry is unknown: refresh it
    finally:
        await first.runtime.stop()
    second = await start_stack(db_url, zalo)  # the settings still name the spent pair
    try:
        await say(zalo, "xin chào", "Xin chào")
    finally:
        await second.runtime.stop()
    assert zalo.refreshes == 1, "the stored pair was not used after the restart"
    assert {m.token_version for m in zalo.sent} == {2}


async def test_queued_messages_meeting_a_due_token_share_one_refresh_end_to_end(
    db_url: str, engine: AsyncEngine, open_round: int
) -> None:
    async with ZaloStandin(calls_per_second=10) as zalo:  # Zalo's -32 at our own pace
        await _queue_and_send(engine, db_url, zalo)


async def _queue_and_send(engine: AsyncEngine, db_url: str, zalo: ZaloStandin) -> None:
    uows = UnitOfWorkFactory(session_factory(engine))
    await _store_initial(uows, zalo, timedelta(minutes=10))
    async with uows() as uow:
        for n in range(30):
            await outbox.enqueue(uow, channel="zalo", recipient=f"u{n % 15}",
                                 payload=Reply(f"Tin số {n}").to_payload(), dedupe_key=f"t:{n}")
        await uow.commit()
    stack = await start_stack(db_url, zalo)
    try:
        await eventually(lambda: len(zalo.sent) == 30, within=20.0)
    finally:
        await stack.runtime.stop()
    assert zalo.refreshes == 1 and zalo.stale_token_uses == 0
    assert zalo.violations == 0, "the dispatcher called faster than 10 sends a second"
    assert {m.token_version for m in zalo.sent} == {2}
    assert sorted(m.text for m in zalo.sent) == sorted(f"Tin số {n}" for n in range(30))
