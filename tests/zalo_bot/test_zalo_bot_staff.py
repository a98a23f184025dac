"""Staff working from the Zalo Bot, and an answer relayed to a citizen who asked there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import rounds, staff, staff_links
from storage.engine import session_factory
from storage.models import Question, Rating, Staff
from storage.uow import UnitOfWorkFactory
from tests.zalo_bot.conftest import Stack
from tests.zalo_bot.helpers import eventually, pick, say, texts

CITIZEN, OFFICER = "a1b2c3d4e5f6a7b8c9d0", "0f9e8d7c6b5a4f3e2d1c"


async def _link_code(engine: AsyncEngine) -> str:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        agency_id = (await rounds.list_rounds(uow))[0].agency_id
        staff_id = await staff.create_staff(
            uow, login="lan", display_name="Lan", role="agency_staff", password=None,
            agency_id=agency_id, actor="test",
        )
        code = await staff_links.issue_code(uow, staff_id=staff_id, actor="test")
        await uow.commit()
        return code


async def test_staff_answer_reaches_the_zalo_bot_citizen_who_rates_it_by_number(
    webhook_stack: Stack, engine: AsyncEngine
) -> None:
    standin = webhook_stack.standin
    code = await _link_code(engine)
    await say(webhook_stack, f"/link {code}", "Lan", chat=OFFICER)

    await say(webhook_stack, "xin chào", "Xin chào", chat=CITIZEN)
    await pick(webhook_stack, "Tôi đồng ý", "Bạn muốn làm gì", chat=CITIZEN)
    await say(webhook_stack, "hỏi", "Mời bạn nhập câu hỏi", chat=CITIZEN)
    question = "Hộ kinh doanh có phải đăng ký tài khoản không? SĐT 0912345678"
    await say(webhook_stack, question, "câu hỏi số 1", chat=CITIZEN)

    await say(webhook_stack, "/cauhoi", "Hộ kinh doanh", chat=OFFICER)
    assert "0912345678" not in texts(standin, OFFICER)[-1], "staff see no contact data"
    answer = "Không bắt buộc; có thể phản ánh không cần tài khoản."
    await say(webhook_stack, f"/traloi 1 {answer}", "câu hỏi số 1", chat=OFFICER)

    await eventually(lambda: any("đánh giá" in t for t in texts(standin, CITIZEN)))
    relay = next(t for t in texts(standin, CITIZEN) if "trả lời câu hỏi số 1" in t)
    assert "Hộ kinh doanh có phải đăng ký" in relay and answer in relay, (
        f"the relayed answer should quote the question and carry the answer: {relay!r}"
    )
    await pick(webhook_stack, "5 ⭐", "5/5", chat=CITIZEN)

    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        linked = await uow.session.scalar(select(Staff.zalo_id).where(Staff.login == "lan"))
        status = await uow.session.scalar(select(Question.status))
        scores = list(await uow.session.scalars(select(Rating.score)))
    assert linked == OFFICER, "the Zalo Bot account is linked to the staff member"
    assert status == "answered" and scores == [5], (status, scores)
    assert standin.violations == 0
