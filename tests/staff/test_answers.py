"""Staff answer citizens' questions from a chat; the answer is relayed with a rating request."""

from __future__ import annotations

from sqlalchemy import func, select

from consultations import privacy
from handlers import notify
from storage.models import InboundEvent, OutboxMessage, Question
from storage.uow import UnitOfWorkFactory
from tests.staff.conftest import GROUP, Setup, ask, link_group, link_staff, outbox_to, said, send

QUESTION = "Hộ kinh doanh có phải đăng ký lại không?"
ANSWER = "Không. Hộ kinh doanh đã đăng ký trước ngày hiệu lực không phải đăng ký lại."


async def _question(uow_factory: UnitOfWorkFactory, question_id: int) -> Question:
    async with uow_factory() as uow:
        row = await uow.session.get(Question, question_id)
        assert row is not None
        return row


async def _outbox_count(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count(OutboxMessage.id))) or 0)


def _buttons(payload: dict[str, object]) -> list[tuple[str, str]]:
    rows = payload["buttons"]
    assert isinstance(rows, list)
    return [(b["label"], b["action"]) for row in rows for b in row]


async def test_staff_answer_by_command_reaches_the_citizen_with_rating_buttons(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "7001")
    qid = await ask(uow_factory, setup.round_id, QUESTION, user="5001")

    outcome = await send(uow_factory, f"/answer@consult_bot {qid} {ANSWER}", sender="7001")

    assert f"Đã ghi nhận và gửi câu trả lời cho câu hỏi số {qid}" in said(outcome)
    relayed, rating = await outbox_to(uow_factory, "5001")
    assert relayed["text"] == (
        f"📩 Sở Thử nghiệm tỉnh Minh Sơn trả lời câu hỏi số {qid} của bạn:\n\n"
        f"«{QUESTION}»\n\n{ANSWER}"
    )
    assert "Bạn đánh giá câu trả lời này thế nào?" in rating["text"]
    assert _buttons(rating) == [(f"{n} ⭐", f"rate:question:{qid}:{n}") for n in range(1, 6)]
    assert [relayed["dedupe_key"], rating["dedupe_key"]] == [
        f"answer:question:{qid}:answer",
        f"answer:question:{qid}:rate",
    ]
    row = await _question(uow_factory, qid)
    assert (row.status, row.answer, row.answered_by) == ("answered", ANSWER, setup.staff_id)


async def test_replying_to_the_group_notification_answers_that_question_in_english_too(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_group(uow_factory, setup.agency_id)
    qid = await ask(uow_factory, setup.round_id, "Is a permit needed?", user="5002", locale="en")
    async with uow_factory() as uow:
        await notify.question_asked(uow, qid)
        await uow.commit()
    notification = (await outbox_to(uow_factory, GROUP))[-1]["text"]

    outcome = await send(
        uow_factory, "No permit is needed.", sender="8008", chat=GROUP, reply_to=notification
    )

    assert f"câu hỏi số {qid}" in said(outcome)
    relayed, rating = await outbox_to(uow_factory, "5002")
    assert relayed["text"].startswith(
        f"📩 Sở Thử nghiệm tỉnh Minh Sơn answered your question no. {qid}"
    )
    assert relayed["text"].endswith("No permit is needed.")
    assert rating["text"].startswith("How would you rate this answer?")
    row = await _question(uow_factory, qid)
    assert (row.status, row.answered_by) == ("answered", None), "a group answers as the agency"


async def test_a_hash_marker_typed_by_the_citizen_does_not_redirect_a_reply(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_group(uow_factory, setup.agency_id)
    decoy = await ask(uow_factory, setup.round_id, "Câu hỏi khác", user="5009")
    qid = await ask(uow_factory, setup.round_id, f"Xem thêm #Q{decoy} giúp tôi", user="5001")
    async with uow_factory() as uow:
        await notify.question_asked(uow, qid)
        await uow.commit()
    notification = (await outbox_to(uow_factory, GROUP))[-1]["text"]

    await send(uow_factory, ANSWER, sender="8008", chat=GROUP, reply_to=notification)

    assert (await _question(uow_factory, qid)).status == "answered"
    assert (await _question(uow_factory, decoy)).status == "open"


async def test_staff_of_another_agency_are_refused_and_nothing_is_relayed(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.other_staff_id, "7002")
    qid = await ask(uow_factory, setup.round_id, QUESTION)

    outcome = await send(uow_factory, f"/answer {qid} {ANSWER}", sender="7002")

    assert "thuộc cơ quan khác" in said(outcome)
    assert (await _question(uow_factory, qid)).status == "open"
    assert await outbox_to(uow_factory, "5001") == []


async def test_an_admin_may_answer_for_any_agency(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.admin_id, "7003")
    qid = await ask(uow_factory, setup.other_round_id, QUESTION)

    await send(uow_factory, f"/traloi {qid} {ANSWER}", sender="7003")

    assert (await _question(uow_factory, qid)).answered_by == setup.admin_id


async def test_an_unknown_question_id_gets_a_clear_message(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "7001")

    missing = await send(uow_factory, f"/answer 999 {ANSWER}", sender="7001")
    malformed = await send(uow_factory, "/answer số 5", sender="7001")

    assert "Không tìm thấy câu hỏi số này" in said(missing)
    assert "Cách dùng: /answer <số câu hỏi>" in said(malformed)


async def test_non_staff_are_refused_commands_and_their_other_messages_fall_back(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    qid = await ask(uow_factory, setup.round_id, QUESTION)
    notification = f"❓ Câu hỏi mới #Q{qid} – hạn trả lời 12/12/2026"

    refused = await send(uow_factory, f"/answer {qid} {ANSWER}", sender="6001")
    help_asked = await send(uow_factory, "/help", sender="6001", event_id="h1")
    reply = await send(uow_factory, ANSWER, sender="6001", reply_to=notification, event_id="r1")
    in_group = await send(uow_factory, ANSWER, sender="6001", chat="-100999", reply_to=notification)
    chatter = await send(uow_factory, "xin chào", sender="6001")

    assert "chỉ dành cho cán bộ đã liên kết" in said(refused)
    assert (help_asked, reply, in_group, chatter) == (None, None, None, None)
    async with uow_factory() as uow:
        seen = set(await uow.session.scalars(select(InboundEvent.event_id)))
    assert not {"h1", "r1"} & seen, "a fallen-back event must stay new for the citizen flow"
    assert (await _question(uow_factory, qid)).status == "open"


async def test_a_command_in_an_unlinked_group_is_refused_politely(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "7001")

    outcome = await send(uow_factory, "/questions", sender="7001", chat="-100999")

    assert "nhóm này chưa được liên kết" in said(outcome)


async def test_a_redelivered_command_does_nothing_twice(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "7001")
    qid = await ask(uow_factory, setup.round_id, QUESTION)
    first = await send(uow_factory, f"/answer {qid} {ANSWER}", sender="7001", event_id="u77")
    count = await _outbox_count(uow_factory)

    again = await send(uow_factory, f"/answer {qid} {ANSWER}", sender="7001", event_id="u77")
    retyped = await send(uow_factory, f"/answer {qid} Khác", sender="7001")

    assert first is not None and not first.duplicate
    assert again is not None and again.duplicate and again.replies == []
    assert await _outbox_count(uow_factory) == count + 1, "only the 'already answered' reply"
    assert "đã được trả lời rồi" in said(retyped)
    assert len(await outbox_to(uow_factory, "5001")) == 2, "the answer is relayed once"
    assert (await _question(uow_factory, qid)).answer == ANSWER


async def test_an_answer_to_a_forgotten_citizen_is_recorded_but_not_delivered(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "7001")
    qid = await ask(uow_factory, setup.round_id, QUESTION)
    asker = (await _question(uow_factory, qid)).participant_id
    assert asker is not None
    async with uow_factory() as uow:
        await privacy.forget(uow, asker)
        await uow.commit()

    outcome = await send(uow_factory, f"/answer {qid} {ANSWER}", sender="7001")

    assert "không gửi được cho người hỏi" in said(outcome)
    assert (await _question(uow_factory, qid)).status == "answered"
    assert await outbox_to(uow_factory, "5001") == []


async def test_questions_lists_the_agency_queue_soonest_due_first_with_pii_hidden(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "7001")
    later = await ask(uow_factory, setup.round_id, "Gọi tôi 0912 345 678 nhé", user="5001")
    async with uow_factory() as uow:
        row = await uow.session.get(Question, later)
        assert row is not None
        sooner_due = row.due_at
        row.due_at = sooner_due.replace(day=20)  # 20/12/2026
        await uow.commit()
    sooner = await ask(uow_factory, setup.round_id, "Câu hỏi gấp", user="5002")
    await ask(uow_factory, setup.other_round_id, "Câu hỏi của sở khác", user="5003")

    listing = said(await send(uow_factory, "/cauhoi", sender="7001"))

    assert listing.index(f"Số {sooner} – hạn 12/12/2026") < listing.index(
        f"Số {later} – hạn 20/12/2026"
    )
    assert "[số điện thoại]" in listing and "0912" not in listing
    assert "sở khác" not in listing, "only the staff member's own agency"
    assert "/answer <số câu hỏi>" in listing
