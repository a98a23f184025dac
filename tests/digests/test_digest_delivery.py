"""Digests reach every destination in its channel's form, once per period, retried when a
delivery fails, and stay quiet (or say one line) when nothing happened."""

from __future__ import annotations

import asyncio
import io
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from bot.email.bridge import attachment_loader
from bot.email.sender import EmailSender, SmtpConfig
from bot.jobs import JobDeps
from bot.jobs.digests import run_digests
from bot.outbox.dispatcher import Dispatcher
from bot.tasks import TaskSupervisor
from consultations import questions
from consultations.digests import schedule
from storage.clock import FixedClock
from storage.engine import create_engine, session_factory
from storage.models import AgencyChannel, Digest, OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.digests.conftest import EMAIL, GROUP, STAFF_CHAT, Known
from tests.digests.smtp_standin import smtp_server

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LIMITS = {"telegram": 4000, "zalo": 700}
# The daily cron, 07:30 in Hanoi, is 00:30 UTC.
FIRST_CRON = datetime(2026, 11, 29, 0, 30, tzinfo=UTC)


def deps(uows: UnitOfWorkFactory) -> JobDeps:
    return JobDeps(uow=uows, tz=TZ, text_limits=LIMITS, settle=timedelta(0))


async def digests(uows: UnitOfWorkFactory) -> list[Digest]:
    async with uows() as uow:
        return list(await uow.session.scalars(select(Digest).order_by(Digest.period_end)))


async def outbox(uows: UnitOfWorkFactory, prefix: str = "digest:") -> list[OutboxMessage]:
    async with uows() as uow:
        rows = await uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
        return list(rows)


async def test_each_destination_gets_the_digest_in_its_channels_form_and_limits(
    uow_factory: UnitOfWorkFactory, known: Known
) -> None:
    async with uow_factory() as uow:
        uow.session.add(
            AgencyChannel(
                agency_id=known.agency_id,
                channel="zalo",
                address="zalo-nhom-1",
                created_at=uow.now(),
            )
        )
        await uow.commit()
    summary = await run_digests(deps(uow_factory))
    assert "digest 1" in summary, summary
    rows = await outbox(uow_factory)
    by_place: dict[tuple[str, str], list[OutboxMessage]] = {}
    for row in rows:
        by_place.setdefault((row.channel, row.recipient), []).append(row)
    assert set(by_place) == {
        ("telegram", GROUP),
        ("telegram", STAFF_CHAT),
        ("zalo", "zalo-nhom-1"),
        ("email", EMAIL),
    }, f"destinations reached: {set(by_place)}"
    zalo = [row.payload["text"] for row in by_place[("zalo", "zalo-nhom-1")]]
    assert len(zalo) > 1 and all(len(part) <= LIMITS["zalo"] for part in zalo), (
        f"Zalo parts must be split below {LIMITS['zalo']}: {[len(p) for p in zalo]}"
    )
    assert zalo[0].startswith("(phần 1/") and "Điều 2" in "".join(zalo)
    [telegram] = [row.payload["text"] for row in by_place[("telegram", GROUP)]]
    assert f"/answer {known.overdue_id}" in telegram, "staff are not told how to answer"
    [mail] = by_place[("email", EMAIL)]
    assert mail.payload["subject"].startswith("[Góp ý] Bản tin hằng ngày – Sở Thử nghiệm")
    assert "<h2>" in mail.payload["html"] and "Điều 2" in mail.payload["html"]
    assert mail.payload["attachment"]["kind"] == "digest_xlsx"


async def test_no_period_is_sent_twice_across_reruns_restarts_and_missed_runs(
    db_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock, known: Known
) -> None:
    await run_digests(deps(uow_factory))
    await run_digests(deps(uow_factory))
    [first] = await digests(uow_factory)
    assert first.period_end == FIRST_CRON, "a digest ends at its cron time, not when it ran"
    sent = len(await outbox(uow_factory))

    clock.advance(timedelta(days=2, hours=1))  # the service was down over two cron times
    restarted_engine = create_engine(db_url)
    try:
        restarted = UnitOfWorkFactory(session_factory(restarted_engine), clock)
        await asyncio.gather(run_digests(deps(restarted)), run_digests(deps(uow_factory)))
        await run_digests(deps(restarted))
    finally:
        await restarted_engine.dispose()
    daily = [d for d in await digests(uow_factory) if d.kind == "daily"]
    assert [(d.period_start, d.period_end) for d in daily] == [
        (first.period_start, FIRST_CRON),
        (FIRST_CRON, FIRST_CRON + timedelta(days=2)),
    ], "the missed days are one digest covering both, starting where the last one ended"
    weekly = [
        (d.period_start, d.period_end) for d in await digests(uow_factory) if d.kind == "weekly"
    ]
    monday = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08:00 in Hanoi, the default weekly cron
    assert weekly == [(first.period_start, monday)], f"weekly digests: {weekly}"
    keys = [row.dedupe_key for row in await outbox(uow_factory)]
    assert len(keys) == len(set(keys)) == 3 * sent, "a period was queued twice, or not at all"


@pytest.mark.parametrize("send_empty", [False, True])
async def test_an_empty_period_sends_one_short_line_or_nothing_as_the_agency_chose(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, known: Known, send_empty: bool
) -> None:
    async with uow_factory() as uow:
        await schedule.set_schedule(
            uow, known.agency_id, send_empty=send_empty, no_weekly=True, actor="t"
        )
        for question in (known.overdue_id, known.soon_id, known.later_id):
            await questions.answer(uow, question, staff_id=None, text="Đã trả lời.", actor="t")
        await uow.commit()
    await run_digests(deps(uow_factory))
    before = len(await outbox(uow_factory))
    clock.advance(timedelta(days=1))
    await run_digests(deps(uow_factory))
    stored = await digests(uow_factory)
    assert len(stored) == 2 and stored[1].content["rounds"][0]["new_comments"] == 0
    new = (await outbox(uow_factory))[before:]
    if not send_empty:
        assert new == [], "a quiet period was sent although the agency did not want it"
        return
    assert len(new) == 3, "one line per destination (group, staff, e-mail)"
    assert all("không có góp ý, câu hỏi hay đánh giá mới" in row.payload["text"] for row in new)


async def test_a_failed_email_delivery_is_retried_and_arrives_with_html_and_spreadsheet(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, known: Known
) -> None:
    await run_digests(deps(uow_factory))
    with smtp_server() as (server, port):
        server.refuse.append("451 4.3.0 Try again later")
        config = SmtpConfig("127.0.0.1", port, "gopy@minhson.gov.vn", starttls=False, timeout=10)
        sender = EmailSender(config, attachment_loader(uow_factory, "Asia/Ho_Chi_Minh"))
        tasks = TaskSupervisor()
        dispatcher = Dispatcher(
            uow_factory, {"email": sender}, tasks=tasks, rng=random.Random(1), base_backoff=1.0
        )
        await dispatcher.run_once()
        [row] = [r for r in await outbox(uow_factory) if r.channel == "email"]
        assert (row.status, row.attempts) == ("pending", 1), "a 451 must be retried later"
        assert row.last_error and row.last_error.startswith("451")
        clock.advance(timedelta(seconds=5))
        await dispatcher.run_once()
        await tasks.stop()
    [row] = [r for r in await outbox(uow_factory) if r.channel == "email"]
    assert row.status == "sent", f"the retried e-mail was not sent: {row.status} {row.last_error}"
    [mail] = server.received
    assert mail.recipients == [EMAIL] and server.attempts == 2
    html = mail.message.get_body(("html",))
    assert html is not None and "Điều 2" in html.get_content()
    [file] = list(mail.message.iter_attachments())
    sheet = openpyxl.load_workbook(io.BytesIO(file.get_content())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã" and len(rows) == 1 + 14, "the spreadsheet lacks the period's comments"
    assert not any("0912 345 678" in str(cell) for r in rows for cell in r), (
        "contact details leaked"
    )


async def test_a_refused_address_is_given_up_at_once(
    uow_factory: UnitOfWorkFactory, known: Known
) -> None:
    await run_digests(deps(uow_factory))
    with smtp_server() as (server, port):
        server.refuse.append("550 5.1.1 No such mailbox")
        config = SmtpConfig("127.0.0.1", port, "gopy@minhson.gov.vn", starttls=False, timeout=10)
        sender = EmailSender(config, attachment_loader(uow_factory, "Asia/Ho_Chi_Minh"))
        tasks = TaskSupervisor()
        await Dispatcher(uow_factory, {"email": sender}, tasks=tasks).run_once()
        await tasks.stop()
    [row] = [r for r in await outbox(uow_factory) if r.channel == "email"]
    assert (row.status, row.attempts) == ("dead", 1) and (row.last_error or "").startswith("550")
