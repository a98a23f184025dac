"""The questions inbox: due date order, overdue marks, answering relays to the citizen."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.clock import FixedClock
from storage.engine import session_factory
from storage.models import OutboxMessage, Question
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import ClientFactory, People, actor, audit_actions, signed_in
from tests.admin.consultation_data import OTHER_AGENCY_QUESTION, Seeded, seed


@pytest.fixture
async def seeded(uow_factory: UnitOfWorkFactory, clock: FixedClock, people: People) -> Seeded:
    return await seed(uow_factory, clock, people)


async def _question(engine: AsyncEngine, question_id: int) -> Question:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        row = await uow.session.get(Question, question_id)
        assert row is not None
        return row


async def _outbox(engine: AsyncEngine) -> list[OutboxMessage]:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return list(await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_the_inbox_lists_the_agencys_questions_due_soonest_first_overdue_marked(
    client_factory: ClientFactory, seeded: Seeded
) -> None:
    lan = await signed_in(client_factory, "lan")
    status, html = await lan.get("/admin/work/questions")
    assert status == 200
    listed = [int(n) for n in re.findall(r'href="/admin/work/questions/(\d+)"', html)]
    assert listed == [seeded.question["late"], seeded.question["pii"]], "due date order"
    rows = re.findall(r'<tr( class="overdue")?>\s*<td[^>]*><a href="/admin/work/questions/(\d+)"',
                      html)
    assert [(bool(mark), int(n)) for mark, n in rows] == [
        (True, seeded.question["late"]), (False, seeded.question["pii"])], \
        "only the overdue question's row is highlighted"
    assert "1 câu đã quá hạn" in html
    assert OTHER_AGENCY_QUESTION not in html, "another agency's question is listed"
    assert "0912 345 678" not in html and "[số điện thoại]" in html, "contact data masked"


async def test_answering_records_it_and_queues_it_to_the_citizen_on_their_channel(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    qid = seeded.question["pii"]
    await lan.get(f"/admin/work/questions/{qid}")
    status, html = await lan.post(f"/admin/work/questions/{qid}/answer", {"answer": "  "})
    assert status == 400 and "Vui lòng điền mục này." in html
    answer = "Không cần đăng ký lại <trừ khi đổi ngành nghề>."
    status, html = await lan.post(f"/admin/work/questions/{qid}/answer", {"answer": answer})
    assert status == 200 and f"Đã gửi câu trả lời #Q{qid} cho người hỏi." in html
    assert "Không cần đăng ký lại &lt;trừ khi đổi ngành nghề&gt;." in html
    row = await _question(engine, qid)
    assert (row.status, row.answer) == ("answered", answer)
    sent = [m for m in await _outbox(engine) if m.dedupe_key.startswith(f"answer:question:{qid}")]
    assert [(m.channel, m.recipient) for m in sent] == [("webchat", "w-visitor-1")] * 2, \
        "the answer and the rating request go to the asker's web chat"
    assert answer in sent[0].payload["text"]
    assert [e.actor for e in await audit_actions(engine, "question.answer")] == [
        await actor(engine, "lan")]
    _, html = await lan.get(f"/admin/work/questions/{qid}")
    assert f'action="/admin/work/questions/{qid}/answer"' not in html, \
        "an answered question offers no second answer form"


async def test_a_question_answered_meanwhile_is_not_answered_twice(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    root = await signed_in(client_factory, "root")
    qid = seeded.question["late"]
    await lan.get(f"/admin/work/questions/{qid}")
    await root.get(f"/admin/work/questions/{qid}")
    await root.post(f"/admin/work/questions/{qid}/answer", {"answer": "Từ 01/01/2027."})
    status, html = await lan.post(f"/admin/work/questions/{qid}/answer", {"answer": "Khác"})
    assert status == 400 and "Câu hỏi này đã được trả lời." in html
    assert (await _question(engine, qid)).answer == "Từ 01/01/2027."


async def test_another_agencys_question_cannot_be_read_or_answered(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    theirs = seeded.question["other"]
    status, html = await lan.get(f"/admin/work/questions/{theirs}")
    assert status == 404 and OTHER_AGENCY_QUESTION not in html
    status, _ = await lan.post(f"/admin/work/questions/{theirs}/answer", {"answer": "Sai sở"})
    assert status == 404
    assert (await _question(engine, theirs)).status == "open"
    assert not [m for m in await _outbox(engine) if m.dedupe_key.startswith("answer:")]
    assert len(await audit_actions(engine, "console.denied")) == 2


async def test_moderators_have_no_questions_inbox(client_factory: ClientFactory,
                                                  seeded: Seeded) -> None:
    hoa = await signed_in(client_factory, "hoa")
    _, html = await hoa.get("/admin/work/comments")
    assert 'href="/admin/work/questions"' not in html
    status, _ = await hoa.get("/admin/work/questions")
    assert status == 403
