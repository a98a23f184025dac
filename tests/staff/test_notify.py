"""A new question is announced to every chat of its agency, without the asker's personal data."""

from __future__ import annotations

from consultations import staff_links
from handlers import notify
from storage.models import Staff
from storage.uow import UnitOfWorkFactory
from tests.staff.conftest import GROUP, Setup, ask, link_group, link_staff, outbox_to, said, send

QUESTION = "Tôi cần hỏi thêm, gọi 0912 345 678 hoặc mail lan@example.vn. Số CCCD 001203004567."


async def _notify(uow_factory: UnitOfWorkFactory, question_id: int) -> list[int]:
    async with uow_factory() as uow:
        ids = await notify.question_asked(uow, question_id)
        await uow.commit()
        return ids


async def test_every_group_and_linked_staff_member_of_the_agency_is_notified(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_group(uow_factory, setup.agency_id)
    await link_staff(uow_factory, setup.staff_id, "7001")
    await link_staff(uow_factory, setup.other_staff_id, "7002")
    qid = await ask(uow_factory, setup.round_id, QUESTION)

    ids = await _notify(uow_factory, qid)

    assert len(ids) == 2, "the group and the agency's staff member, not the other agency's"
    (group,) = await outbox_to(uow_factory, GROUP)
    (personal,) = await outbox_to(uow_factory, "7001")
    assert await outbox_to(uow_factory, "7002") == []
    assert group["text"] == personal["text"]
    assert group["dedupe_key"] == f"notify:question:{qid}:telegram:{GROUP}"
    text = group["text"]
    assert text.startswith(f"❓ Câu hỏi mới #Q{qid} – hạn trả lời 12/12/2026")
    assert "Dự thảo: Dự thảo Quyết định thử nghiệm" in text
    assert f"/answer {qid} <nội dung>" in text and "trả lời (reply) tin nhắn này" in text


async def test_the_question_is_announced_with_personal_data_redacted(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_group(uow_factory, setup.agency_id)
    qid = await ask(uow_factory, setup.round_id, QUESTION)

    await _notify(uow_factory, qid)

    (group,) = await outbox_to(uow_factory, GROUP)
    text = group["text"]
    assert "[số điện thoại]" in text and "[email]" in text and "[số định danh]" in text
    for secret in ("0912", "345 678", "lan@example.vn", "001203004567"):
        assert secret not in text, f"{secret!r} leaked into a staff notification"


async def test_zalo_staff_are_notified_and_inactive_staff_are_not(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "z-7", channel="zalo_bot")
    async with uow_factory() as uow:
        leaver = Staff(
            login="old",
            display_name="Đã nghỉ",
            role="agency_staff",
            agency_id=setup.agency_id,
            telegram_id="7444",
            active=False,
            created_at=uow.now(),
        )
        uow.session.add(leaver)
        await uow.commit()
    qid = await ask(uow_factory, setup.round_id, "Câu hỏi")

    await _notify(uow_factory, qid)

    assert len(await outbox_to(uow_factory, "z-7", channel="zalo")) == 1
    assert await outbox_to(uow_factory, "7444") == []
    async with uow_factory() as uow:
        assert await staff_links.staff_for(uow, "telegram", "7444") is None


async def test_notifying_twice_queues_nothing_new(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_group(uow_factory, setup.agency_id)
    qid = await ask(uow_factory, setup.round_id, "Câu hỏi")

    first = await _notify(uow_factory, qid)
    second = await _notify(uow_factory, qid)

    assert (len(first), second) == (1, [])


async def test_staff_help_lists_the_commands_for_linked_staff(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "7001")

    text = said(await send(uow_factory, "/trogiup", sender="7001"))

    for command in ("/cauhoi", "/traloi", "/ketqua", "/lienket", "/answer", "/outcome"):
        assert command in text
