"""Queuing an announcement to hundreds of followers: one outbox row each, an exact count,
nobody twice, only those who may be told, each in their language (both entry points)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import String, cast, event, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import agencies, delivery, participants, rounds, subscriptions
from consultations.console import announce
from consultations.digests.announcements import OPENED, Recipient, RoundEvent
from consultations.vocab import Purpose
from handlers import scheduled_notices
from storage.models import Consent, OutboxMessage, Participant, Subscription
from storage.uow import UnitOfWorkFactory

CROWD = 640  # followers who must be told; more than one batch at the sizes below


@dataclass
class Crowd:
    """Who follows the open round: those to tell (id -> locale) and those to leave out."""

    told: dict[int, str] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def ref(participant_id: int) -> str:
        """The crowd's Telegram chat ids are made from their participant ids."""
        return f"chat-{participant_id}"


class RecordingPayloads:
    """A payload builder that remembers which locales it was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, locale: str) -> dict[str, Any]:
        self.asked.append(locale)
        return {"text": f"round open ({locale})", "buttons": []}


async def _left_out(uow_factory: UnitOfWorkFactory, agency_id: int) -> dict[str, int]:
    """One person per reason not to be told, each otherwise a follower of every round."""
    async with uow_factory() as uow:
        other = await agencies.add_agency(uow, "SO-KHAC", "Sở Khác tỉnh Minh Sơn")
        ids: dict[str, int] = {}
        for why in ("no_notify", "withdrew", "forgotten", "unreachable", "other_agency"):
            purpose = Purpose.PARTICIPATE if why == "no_notify" else Purpose.NOTIFY
            person = await participants.grant_consent(uow, "telegram", why, purpose)
            target = ("agency", other.id) if why == "other_agency" else ("all", 0)
            await subscriptions.follow(uow, person.id, *target)
            ids[why] = person.id
        await participants.withdraw_consent(uow, ids["withdrew"], Purpose.NOTIFY)
        await delivery.set_reachable(uow, "telegram", "unreachable", False)
        await uow.session.execute(  # consent and subscription kept: only the mark differs
            update(Participant).where(Participant.id == ids["forgotten"])
            .values(forgotten_at=uow.now()))
        await uow.commit()
    assert agency_id != other.id
    return ids


async def _followers(uow_factory: UnitOfWorkFactory, round_id: int, agency_id: int
                     ) -> dict[int, str]:
    """CROWD followers with notifications on (bulk-inserted), following all rounds, the
    round's agency or the round itself; every third reads English."""
    targets = [("all", 0), ("agency", agency_id), ("round", round_id)]
    async with uow_factory() as uow:
        now = uow.now()
        ids = list(await uow.session.scalars(
            insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
            [{"channel": "telegram", "channel_user_id": f"crowd-{n}", "kind": "citizen",
              "locale": "en" if n % 3 == 0 else "vi", "created_at": now, "last_seen_at": now}
             for n in range(CROWD)]))
        await uow.session.execute(  # chat ids that name the participant, to check addresses
            update(Participant).where(Participant.id.in_(ids))
            .values(channel_user_id="chat-" + cast(Participant.id, String)))
        await uow.session.execute(insert(Consent), [
            {"participant_id": i, "purpose": Purpose.NOTIFY, "text_version": "2026-11",
             "granted_at": now} for i in ids])
        await uow.session.execute(insert(Subscription), [
            {"participant_id": i, "target": targets[n % 3][0], "target_id": targets[n % 3][1],
             "created_at": now} for n, i in enumerate(ids)])
        await uow.commit()
    return {i: "en" if n % 3 == 0 else "vi" for n, i in enumerate(ids)}


@pytest.fixture
async def crowd(uow_factory: UnitOfWorkFactory, open_round: int) -> Crowd:
    async with uow_factory() as uow:
        agency_id = (await rounds.get_round(uow, open_round)).agency_id
    left_out = await _left_out(uow_factory, agency_id)  # lower ids: inside the first batch
    return Crowd(await _followers(uow_factory, open_round, agency_id), left_out)


async def _announce(uow_factory: UnitOfWorkFactory, round_id: int,
                    payload_for: announce.PayloadFor,
                    batch_size: int) -> list[tuple[int, int | None]]:
    """The console's loop: batch after batch, each committed; returns each batch's result."""
    steps: list[tuple[int, int | None]] = []
    after = 0
    while True:
        async with uow_factory() as uow:
            step = await announce.announce_batch(uow, round_id, payload_for, actor="test",
                                                 after_id=after, batch_size=batch_size)
            await uow.commit()
        steps.append(step)
        if step[1] is None:
            return steps
        after = step[1]


async def _queued(uow_factory: UnitOfWorkFactory, round_id: int) -> list[OutboxMessage]:
    async with uow_factory() as uow:
        return list(await uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.startswith(announce.dedupe_prefix(round_id)))
            .order_by(OutboxMessage.id)))


@pytest.mark.parametrize("batch_size", [250, announce.BATCH])
async def test_every_follower_is_queued_once_and_the_count_is_exact(
    uow_factory: UnitOfWorkFactory, open_round: int, crowd: Crowd, batch_size: int
) -> None:
    steps = await _announce(uow_factory, open_round, RecordingPayloads(), batch_size)
    rows = await _queued(uow_factory, open_round)
    assert sum(queued for queued, _ in steps) == len(rows) == CROWD, (
        "the count reported is not the number of rows queued")
    assert Counter(r.participant_id for r in rows) == Counter(crowd.told.keys()), (
        "someone was queued twice, or a follower was missed")
    assert all(r.dedupe_key == f"announce:opened:{open_round}:{r.participant_id}"
               for r in rows), "the key must be the one the scheduler uses too"
    assert all((r.channel, r.status, r.recipient) ==
               ("telegram", "pending", crowd.ref(r.participant_id or 0)) for r in rows)
    assert len(steps) == -(-(CROWD + len(crowd.left_out)) // batch_size), "keyset paging"


async def test_announcing_again_queues_nobody_and_pages_the_same_way(
    uow_factory: UnitOfWorkFactory, open_round: int, crowd: Crowd
) -> None:
    first = await _announce(uow_factory, open_round, RecordingPayloads(), 250)
    again = await _announce(uow_factory, open_round, RecordingPayloads(), 250)
    assert [queued for queued, _ in again] == [0] * len(first), "known keys queue nothing"
    assert [last for _, last in again] == [last for _, last in first]
    assert len(await _queued(uow_factory, open_round)) == CROWD


async def test_only_followers_who_may_be_told_are_queued(
    uow_factory: UnitOfWorkFactory, open_round: int, crowd: Crowd
) -> None:
    await _announce(uow_factory, open_round, RecordingPayloads(), announce.BATCH)
    queued = {r.participant_id for r in await _queued(uow_factory, open_round)}
    wrongly = {why: pid for why, pid in crowd.left_out.items() if pid in queued}
    assert wrongly == {}, f"queued although they must not be told: {wrongly}"
    async with uow_factory() as uow:
        progress = await announce.progress(uow, open_round)
    assert (progress.followers, progress.queued) == (CROWD, CROWD), (
        "the page's follower count and the queue disagree")


async def test_each_locale_gets_its_own_payload_built_once_per_batch(
    uow_factory: UnitOfWorkFactory, open_round: int, crowd: Crowd
) -> None:
    payloads = RecordingPayloads()
    steps = await _announce(uow_factory, open_round, payloads, 250)
    for row in await _queued(uow_factory, open_round):
        locale = crowd.told[row.participant_id or 0]
        assert row.payload == {"text": f"round open ({locale})", "buttons": [],
                               "broadcast": True}, f"wrong message for a {locale} reader"
    assert set(payloads.asked) == {"vi", "en"}
    assert len(payloads.asked) <= 2 * len(steps), "the payload is built per person"


async def test_a_round_opened_on_schedule_is_queued_for_everyone_once(
    uow_factory: UnitOfWorkFactory, open_round: int, crowd: Crowd
) -> None:
    async with uow_factory() as uow:
        made = await rounds.get_round(uow, open_round)
        event = RoundEvent(open_round, made.agency_id, OPENED, made.title, "Sở Thử nghiệm",
                           "Testing Department", made.closes_at, uow.now())
    recipients = [Recipient(pid, "telegram", crowd.ref(pid), locale)
                  for pid, locale in crowd.told.items()]
    counts = []
    for _ in range(2):  # the sweep runs again (or twice at once): nobody is told twice
        async with uow_factory() as uow:
            counts.append(await scheduled_notices.announce(uow, event, recipients))
            await uow.commit()
    assert counts == [CROWD, 0]
    rows = await _queued(uow_factory, open_round)
    assert Counter(r.participant_id for r in rows) == Counter(crowd.told.keys())
    english = next(r for r in rows if crowd.told[r.participant_id or 0] == "en")
    vietnamese = next(r for r in rows if crowd.told[r.participant_id or 0] == "vi")
    assert english.payload["broadcast"] is vietnamese.payload["broadcast"] is True
    assert english.payload["text"].startswith("🔔 A new draft is open for comments")
    assert english.payload["text"] != vietnamese.payload["text"]
    assert english.recipient == crowd.ref(english.participant_id or 0)


async def test_a_batch_is_read_in_one_select_and_queued_in_one_insert(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine, open_round: int, crowd: Crowd
) -> None:
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.split(None, 3)[2] if statement.startswith("INSERT")
                          else statement.split(None, 1)[0])

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        steps = await _announce(uow_factory, open_round, RecordingPayloads(), announce.BATCH)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert steps == [(CROWD, None)]
    assert statements.count("outbox") == 1, f"one INSERT for the batch, not {statements}"


async def test_postgresql_knows_the_outbox_grew_once_an_announcement_is_queued(
    uow_factory: UnitOfWorkFactory, open_round: int, crowd: Crowd
) -> None:
    """Stale planner statistics made every claim scan all pending rows (240 messages/s)."""
    async with uow_factory() as uow:
        if uow.session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite keeps no planner statistics to refresh")
    await _announce(uow_factory, open_round, RecordingPayloads(), announce.BATCH)
    async with uow_factory() as uow:
        estimate = await uow.session.scalar(
            text("SELECT reltuples FROM pg_class WHERE relname = 'outbox'"))
    assert estimate == CROWD, "the planner's row count is the rows queued"
