"""The sweeps: rounds opened and closed are announced once to those who asked; people with an
unfinished comment hear before the round closes; agencies hear of questions nearly due."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.jobs import JOBS, JobDeps
from consultations import dialog, participants, questions, rounds, sections
from consultations.dialog import Dialog
from storage.clock import FixedClock
from storage.models import AgencyChannel, OutboxMessage, Participant
from storage.uow import UnitOfWorkFactory
from tests.conftest import SHORT_DRAFT
from tests.digests.conftest import follower, person

GROUP = "-100888"


def deps(uows: UnitOfWorkFactory) -> JobDeps:
    return JobDeps(
        uow=uows,
        tz=ZoneInfo("Asia/Ho_Chi_Minh"),
        text_limits={"telegram": 4000},
        settle=timedelta(0),
    )


async def rows(uows: UnitOfWorkFactory, prefix: str) -> list[OutboxMessage]:
    async with uows() as uow:
        found = await uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
        return list(found)


async def test_an_opened_round_is_announced_once_to_each_follower_who_can_be_reached(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    async with uow_factory() as uow:
        agency_id = (await rounds.get_round(uow, open_round)).agency_id
    everyone = await follower(uow_factory, "all", "all")
    by_agency = await follower(uow_factory, "agency", "agency", agency_id)
    by_round = await follower(uow_factory, "round", "round", open_round)
    web = await follower(uow_factory, "web", "all", channel="webchat")
    zalo_now = await follower(uow_factory, "zalo-now", "all", channel="zalo")
    await follower(uow_factory, "zalo-old", "all", channel="zalo")
    await follower(uow_factory, "no-consent", "all", notify=False)
    gone = await follower(uow_factory, "gone", "all")
    async with uow_factory() as uow:
        await participants.set_locale(uow, by_round, "en")
        await uow.session.execute(
            update(Participant).where(Participant.id == gone).values(forgotten_at=uow.now())
        )
        await uow.session.execute(
            update(Participant)
            .where(Participant.channel_user_id == "zalo-old")
            .values(last_seen_at=uow.now() - timedelta(days=3))
        )
        await uow.commit()

    summary = await JOBS["rounds"].run(deps(uow_factory))
    await JOBS["rounds"].run(deps(uow_factory))
    sent = await rows(uow_factory, "announce:opened:")
    assert sorted(r.participant_id or 0 for r in sent) == sorted(
        [everyone, by_agency, by_round, web, zalo_now]
    ), f"announced to the wrong people: {summary}"
    assert all(r.payload["broadcast"] for r in sent), "announcements must go as broadcasts"
    english = next(r for r in sent if r.participant_id == by_round)
    assert english.payload["text"].startswith("🔔 A new draft is open for comments")
    assert english.payload["buttons"] == [
        [{"label": "📖 Read the draft", "action": f"r:{open_round}"}]
    ]


async def test_a_scheduled_round_opens_at_its_time_and_a_round_closes_at_its_end_announced(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    await JOBS["rounds"].run(deps(uow_factory))  # the open round: nobody follows yet
    fan = await follower(uow_factory, "fan", "all")
    async with uow_factory() as uow:
        agency_id = (await rounds.get_round(uow, open_round)).agency_id
        later = await rounds.create_round(
            uow,
            agency_id=agency_id,
            title="Dự thảo sau",
            document_type="policy",
            opens_at=clock.now() + timedelta(hours=1),
            closes_at=clock.now() + timedelta(days=30),
        )
        await sections.import_draft(uow, later.id, SHORT_DRAFT, actor="t")
        await rounds.schedule(uow, later.id, actor="t")
        await uow.commit()
    clock.advance(timedelta(hours=2))
    await JOBS["rounds"].run(deps(uow_factory))
    assert [r.dedupe_key for r in await rows(uow_factory, "announce:")] == [
        f"announce:opened:{later.id}:{fan}"
    ], "the scheduled round was not opened and announced"
    clock.advance(timedelta(days=60))
    await JOBS["rounds"].run(deps(uow_factory))
    closed = {r.dedupe_key for r in await rows(uow_factory, "announce:closed:")}
    assert closed == {f"announce:closed:{open_round}:{fan}", f"announce:closed:{later.id}:{fan}"}


async def test_news_older_than_two_days_when_first_seen_is_not_announced(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    await follower(uow_factory, "late", "all")
    clock.advance(timedelta(days=3))
    summary = await JOBS["rounds"].run(deps(uow_factory))
    assert await rows(uow_factory, "announce:") == [] and "1 too old" in summary


async def test_people_with_an_unfinished_comment_are_reminded_once_before_the_round_closes(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    writing = await person(uow_factory, "writing")
    reading = await person(uow_factory, "reading")
    on_web = await person(uow_factory, "web-writer", channel="webchat")
    async with uow_factory() as uow:
        draft = {"round_id": open_round, "text": "Góp ý đang viết", "section_id": None}
        await dialog.save(uow, writing, Dialog("compose_stance", draft))
        await dialog.save(uow, on_web, Dialog("compose_text", draft))
        await dialog.save(uow, reading, Dialog("reading", {"round_id": open_round}))
        closes = (await rounds.get_round(uow, open_round)).closes_at
        await uow.commit()
    assert closes is not None
    await JOBS["closing-reminders"].run(deps(uow_factory))
    assert await rows(uow_factory, "remind:closing:") == [], "reminded 60 days before the end"
    clock.set(closes - timedelta(days=2))
    await JOBS["closing-reminders"].run(deps(uow_factory))
    await JOBS["closing-reminders"].run(deps(uow_factory))
    [sent] = await rows(uow_factory, "remind:closing:")
    assert sent.participant_id == writing and sent.recipient == "writing"
    assert sent.payload["buttons"][0][0]["action"] == f"c:{open_round}"


async def test_the_agency_hears_once_when_a_question_is_nearly_due_and_once_when_overdue(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    asker = await person(uow_factory, "asker")
    async with uow_factory() as uow:
        agency_id = (await rounds.get_round(uow, open_round)).agency_id
        uow.session.add(
            AgencyChannel(
                agency_id=agency_id, channel="telegram", address=GROUP, created_at=uow.now()
            )
        )
        soon, late, far = [
            await questions.ask(
                uow,
                participant_id=asker,
                round_id=open_round,
                channel="telegram",
                text=text,
                due_days=days,
            )
            for text, days in (("Khi nào?", 2), ("Ai chịu trách nhiệm?", 1), ("Bao nhiêu?", 10))
        ]
        await uow.commit()
    clock.advance(timedelta(days=1, hours=1))  # `late` is now overdue, `soon` due tomorrow
    await JOBS["question-reminders"].run(deps(uow_factory))
    await JOBS["question-reminders"].run(deps(uow_factory))
    [first] = await rows(uow_factory, "remind:questions:")
    text = first.payload["text"]
    assert first.recipient == GROUP and f"#Q{late.id}" in text and f"#Q{soon.id}" in text
    assert text.index("Đã quá hạn") < text.index(f"#Q{late.id}") < text.index("Sắp đến hạn")
    assert f"#Q{far.id}" not in text and f"/answer {soon.id}" in text
    clock.advance(timedelta(days=2))
    await JOBS["question-reminders"].run(deps(uow_factory))
    second = (await rows(uow_factory, "remind:questions:"))[1:]
    assert len(second) == 1 and f"#Q{soon.id}" in second[0].payload["text"]
    assert f"#Q{late.id}" not in second[0].payload["text"], "an overdue question was repeated"
