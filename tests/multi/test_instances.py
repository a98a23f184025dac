"""Two `consultbot run` processes on one PostgreSQL database behind one address.

Citizens' Telegram updates go to both in turn; the scheduler's leader, which has sent
the digest due at its start, is killed with SIGKILL while its next digest job waits out
the settling time and while traffic goes on. Then: every update is handled once and
every comment stored once, every outbox row reached the Bot API stand-in once (a row
the dead instance was sending may have gone twice: it cannot know whether Telegram got
it), exactly one instance led at a time and the survivor took over within seconds, and
every digest period was reported once, by one instance or the other, the one that came
due at the kill included. A web chat visitor moves between the instances without
losing their session.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.leader import SCHEDULER_LOCK
from storage import advisory
from storage.engine import create_engine, session_factory
from storage.models import Agency, Comment, Digest, InboundEvent, OutboxMessage, Participant
from storage.uow import UnitOfWorkFactory
from tests.multi.processes import Child, start_instance, start_standin, wait_ready
from tests.multi.seed import STAFF_CHAT, seed
from tests.multi.traffic import Traffic

RETRY_S = 1.0  # SCHEDULER_LOCK_RETRY_SECONDS of the instances
CHATS = [7001 + n for n in range(6)]
TAKEN, STANDBY = "scheduler leadership taken", "scheduler standby"
JOB_LINES = ("bot.scheduler: agencies:", "bot.scheduler: digests:", "bot.scheduler: rounds:")
UNFINISHED = ("pending", "sending")


async def until(check: Callable[[], Awaitable[bool]], within: float, what: str) -> None:
    """Wait (bounded) for the instances to do something; a time-out, not a speed claim."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.2)


@pytest.fixture
async def shared_engine(shared_url: str) -> AsyncIterator[AsyncEngine]:
    """The test's own view of the shared database (read through fresh sessions)."""
    made = create_engine(shared_url)
    yield made
    await made.dispose()


async def leader_of(engine: AsyncEngine, instances: list[Child]) -> Child | None:
    """The instance whose lock connection pg_locks shows holding the scheduler lock."""
    async with engine.connect() as conn:
        found = await advisory.holders(conn, SCHEDULER_LOCK)
    names = {h.application_name.rsplit(":", 1)[-1] for h in found}
    leaders = [child for child in instances if str(child.popen.pid) in names]
    assert len(found) <= 1 and len(leaders) == len(found), f"lock holders: {found}"
    return leaders[0] if leaders else None


async def web_chat_visitor_moves_between_instances(a: Child, b: Child) -> None:
    """The session cookie one instance sets is read by the other (a key both derive from
    the secret stored in the database), so the visitor's history follows them."""
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{a.url}/api/chat",
                             json={"event_id": "web-0001-multi", "text": "xin chào"}) as first:
            assert first.status == 200, await first.text()
            cookie = first.cookies["consultbot_chat"].value
            greeted = [r["id"] for r in (await first.json())["replies"]]
        headers = {"Cookie": f"consultbot_chat={cookie}"}
        async with http.post(f"{b.url}/api/chat", headers=headers,
                             json={"event_id": "web-0002-multi", "action": "consent:yes"}) as nxt:
            assert nxt.status == 200, await nxt.text()
        async with http.get(f"{b.url}/api/chat/history", headers=headers) as history:
            seen = [r["id"] for r in (await history.json())["replies"]]
    assert greeted and set(greeted) <= set(seen), (
        "the second instance did not recognise the session the first one started"
    )


def next_minute_after(seconds: float) -> datetime:
    """The first whole minute (UTC) at least `seconds` from now: a digest comes due then."""
    soon = datetime.now(UTC) + timedelta(seconds=seconds)
    return soon.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def sleep_until(moment: datetime) -> None:
    await asyncio.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))


async def test_two_instances_share_the_work_and_survive_the_leader_being_killed(
    shared_url: str, shared_engine: AsyncEngine, tmp_path: Path
) -> None:
    engine = shared_engine
    uows = UnitOfWorkFactory(session_factory(engine))
    seeded = await seed(uows)
    async with uows() as uow:  # an agency of some minutes: a digest is due at start-up
        agency = await uow.session.get(Agency, seeded.agency_id)
        assert agency is not None
        agency.created_at -= timedelta(minutes=3)
        await uow.commit()
    children: list[Child] = []
    sending: asyncio.Task[None] | None = None
    try:
        standin = await start_standin(tmp_path)
        children.append(standin)
        a = start_instance("a", shared_url, standin, tmp_path, RETRY_S)
        b = start_instance("b", shared_url, standin, tmp_path, RETRY_S)
        children += [a, b]
        await wait_ready(a)
        await wait_ready(b)
        await web_chat_visitor_moves_between_instances(a, b)
        await until(lambda: _has_leader(engine, [a, b]), 10 * RETRY_S, "an instance leads")
        leader = await leader_of(engine, [a, b])
        assert leader is not None
        survivor = b if leader is a else a
        await until(lambda: _digests_stored(uows, 1), 30, "the leader's start-up digest")

        traffic = Traffic([a, b], CHATS)
        sending = asyncio.create_task(traffic.run())
        due = next_minute_after(10)
        await sleep_until(due + timedelta(seconds=2))  # the leader waits for the period to settle
        standby_log = survivor.log()
        leader.killed_at = time.monotonic()
        leader.popen.kill()
        leader.popen.wait()
        killed_wall = time.time()  # the stand-in stamps what it receives with this clock
        in_flight = await _in_flight(uows)

        await until(lambda: _logged(survivor, TAKEN), 15 * RETRY_S, "the survivor takes over")
        takeover = time.monotonic() - leader.killed_at
        assert await leader_of(engine, [a, b]) is survivor
        await asyncio.sleep(6)  # traffic goes on, all of it to the survivor now
        traffic.stop.set()
        await sending
        await until(lambda: _settled(uows, due), 90,
                    "the outbox drains and the digest due at the kill is sent")
        sent = await _sent_by_standin(standin)
    finally:
        if sending is not None and not sending.done():
            sending.cancel()
        for child in reversed(children):
            child.stop()

    assert traffic.handled[survivor.name] and traffic.handled[leader.name], traffic.handled
    await _each_update_and_comment_once(uows, traffic)
    twice = await _each_row_sent_once(uows, sent, in_flight, killed_wall)
    print(f"\ntakeover {takeover:.1f} s after SIGKILL; updates {traffic.updates} "
          f"({dict(traffic.handled)}), redelivered {traffic.redelivered}; rows claimed at "
          f"the kill {len(in_flight)}, sent twice {twice}; messages {len(sent)}")
    await _each_period_reported_once(uows, seeded.agency_id, due, leader, survivor)
    _one_leader_at_a_time(leader, survivor, standby_log)


async def _has_leader(engine: AsyncEngine, instances: list[Child]) -> bool:
    return await leader_of(engine, instances) is not None


async def _logged(child: Child, line: str) -> bool:
    return line in child.log()


async def _digests_stored(uows: UnitOfWorkFactory, count: int) -> bool:
    async with uows() as uow:
        return len(list(await uow.session.scalars(select(Digest.id)))) >= count


async def _in_flight(uows: UnitOfWorkFactory) -> dict[int, str]:
    """Rows claimed but not finished right after the kill: the dead one's among them."""
    async with uows() as uow:
        rows = await uow.session.execute(
            select(OutboxMessage.id, OutboxMessage.recipient).where(
                OutboxMessage.status == "sending"
            )
        )
        return {row_id: recipient for row_id, recipient in rows}


async def _settled(uows: UnitOfWorkFactory, last_due: datetime) -> bool:
    async with uows() as uow:
        open_rows = await uow.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.status.in_(UNFINISHED)).limit(1)
        )
        ends = set(await uow.session.scalars(select(Digest.period_end)))
    return open_rows is None and last_due in ends


async def _sent_by_standin(standin: Child) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(f"{standin.url}/_standin/calls") as r:
        data = await r.json()
    return [m for m in data["sent"] if m["method"] == "sendMessage"]


async def _each_update_and_comment_once(uows: UnitOfWorkFactory, traffic: Traffic) -> None:
    async with uows() as uow:
        events = await uow.session.scalars(
            select(InboundEvent.event_id).where(InboundEvent.channel == "telegram")
        )
        recorded = Counter(events)
        rows = await uow.session.execute(
            select(Participant.channel_user_id, Comment.body)
            .join(Participant, Participant.id == Comment.participant_id)
            .where(Participant.channel == "telegram")
        )
        stored: dict[int, list[str]] = {chat: [] for chat in traffic.chats}
        for user_ref, body in rows:  # by marker: the text itself is normalised when stored
            stored[int(str(user_ref))].append(_marker(body))
    assert len(recorded) == traffic.updates and set(recorded.values()) == {1}, (
        f"{traffic.updates} updates sent, {len(recorded)} recorded"
    )
    for chat in traffic.chats:
        twice = [body for body, n in Counter(stored[chat]).items() if n > 1]
        assert not twice, f"chat {chat}: comments stored twice: {twice}"
        assert sorted(stored[chat]) == sorted(map(_marker, traffic.comments[chat])), (
            f"chat {chat}: stored {len(stored[chat])} comments, sent {len(traffic.comments[chat])}"
        )


def _marker(body: str) -> str:
    return body.split(":", 1)[0]


async def _each_row_sent_once(
    uows: UnitOfWorkFactory, sent: list[dict[str, Any]], in_flight: dict[int, str],
    killed_at: float,
) -> int:
    """Per chat, the texts the stand-in got are the texts of the outbox rows, each once.

    The one exception: the row the killed instance was sending to a chat when it died
    (it sends a chat's rows one at a time) may have reached Telegram without being marked
    sent, and is then sent again after its lease. Returns how many rows went twice.
    """
    async with uows() as uow:
        rows = list(await uow.session.execute(
            select(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.status,
                   OutboxMessage.payload).where(OutboxMessage.channel == "telegram")
        ))
    assert {status for _, _, status, _ in rows} == {"sent"}, Counter(s for _, _, s, _ in rows)
    queued: dict[str, Counter[str]] = {}
    maybe_twice: dict[str, Counter[str]] = {}
    for row_id, recipient, _, payload in rows:
        queued.setdefault(recipient, Counter())[payload["text"].strip()] += 1
        if row_id in in_flight:
            maybe_twice.setdefault(recipient, Counter())[payload["text"].strip()] += 1
    got: dict[str, Counter[str]] = {}
    before_kill: dict[str, set[str]] = {}
    for message in sent:
        chat, body = str(message["chat_id"]), (message["text"] or "").strip()
        got.setdefault(chat, Counter())[body] += 1
        if message["time"] <= killed_at:
            before_kill.setdefault(chat, set()).add(body)
    assert str(STAFF_CHAT) in queued, "no digest was queued for the staff member"
    assert set(got) <= set(queued), f"messages to chats nobody queued for: {set(got) - set(queued)}"
    twice = 0
    for chat, texts in queued.items():
        received = got.get(chat, Counter())
        assert not texts - received, f"chat {chat}: never sent: {list(texts - received)[:3]}"
        extra = received - texts
        explained = [body for body in extra if body in maybe_twice.get(chat, Counter())
                     and body in before_kill.get(chat, set())]
        assert sum(extra.values()) <= 1 and len(explained) == len(extra), (
            f"chat {chat}: sent twice, not a send the killed instance had in flight: "
            f"{[body[:60] for body in extra]}"
        )
        twice += sum(extra.values())
    return twice


async def _each_period_reported_once(
    uows: UnitOfWorkFactory, agency_id: int, due: datetime, leader: Child, survivor: Child
) -> None:
    """The periods follow each other from the agency's creation; the first leader reported
    the one due at its start, the survivor the one whose run the kill interrupted."""
    async with uows() as uow:
        created = await uow.session.scalar(select(Agency.created_at).where(Agency.id == agency_id))
        periods = list(await uow.session.execute(
            select(Digest.id, Digest.period_start, Digest.period_end)
            .where(Digest.agency_id == agency_id).order_by(Digest.period_end)
        ))
        keys = Counter(
            key.split(":")[1] for key in await uow.session.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.startswith("digest:"),
                    OutboxMessage.recipient == str(STAFF_CHAT),
                )
            )
        )
    assert periods and periods[0][1] == created, "the first digest does not start at creation"
    for (_, _, end), (_, start, _) in itertools.pairwise(periods):
        assert start == end, f"digest periods overlap or leave a gap: {periods}"
    ends = {end: digest_id for digest_id, _, end in periods}
    assert all(end.second == 0 and end.microsecond == 0 for end in ends), list(ends)
    assert due in ends, f"the period due at the kill ({due:%H:%M}) was not reported: {list(ends)}"
    assert set(keys) == {str(digest_id) for digest_id in ends.values()}, (
        f"digests without a message to the staff member: {periods} vs {keys}"
    )
    assert f"digest {periods[0][0]}," in leader.log(), "the first leader did not send the first"
    assert f"digest {ends[due]}," in survivor.log(), (
        "the survivor did not send the digest whose run the kill interrupted"
    )


def _one_leader_at_a_time(leader: Child, survivor: Child, standby_log: str) -> None:
    assert leader.log().count(TAKEN) == 1, "the killed leader took the lead more than once"
    assert STANDBY in standby_log and TAKEN not in standby_log, (
        "the survivor led while the other instance still held the lock"
    )
    assert not [line for line in JOB_LINES if line in standby_log], (
        "a standby ran scheduled jobs"
    )
    assert survivor.log().count(TAKEN) == 1
