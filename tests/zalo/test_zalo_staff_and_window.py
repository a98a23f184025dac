"""Staff answering from Zalo, and Zalo's 7-day window: what cannot go now waits, then goes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import rounds, staff, staff_links
from storage.engine import session_factory
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.zalo.conftest import ZaloStack
from tests.zalo.helpers import (
    USER,
    deliver_and_wait,
    eventually,
    eventually_async,
    say,
    tap,
    texts,
)

OFFICER = "1357924680"


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


async def _citizen_asks(stack: ZaloStack) -> None:
    zalo = stack.zalo
    await deliver_and_wait(zalo, zalo.events.follow(USER), "Xin chào")
    await tap(zalo, "Tôi đồng ý", "Bạn muốn làm gì")
    await say(zalo, "hỏi", "Mời bạn nhập câu hỏi")
    await say(zalo, "Hộ kinh doanh có phải đăng ký tài khoản không? SĐT 0912345678",
              "câu hỏi số 1")


async def _statuses(engine: AsyncEngine, recipient: str) -> list[str]:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        rows = await uow.session.scalars(
            select(OutboxMessage.status)
            .where(OutboxMessage.channel == "zalo", OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        )
        return list(rows)


async def test_staff_answer_from_zalo_reaches_the_zalo_citizen_with_a_rating_request(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    await say(zalo, f"/link {await _link_code(engine)}", "Lan", user=OFFICER)
    await _citizen_asks(stack)
    await eventually(lambda: any("#Q1" in t for t in texts(zalo, OFFICER)))
    notice = next(t for t in texts(zalo, OFFICER) if "#Q1" in t)
    assert "0912345678" not in notice, "staff see the question without the asker's phone number"

    await say(zalo, "/traloi 1 Không bắt buộc; có thể phản ánh không cần tài khoản.",
              "Đã ghi nhận và gửi", user=OFFICER)
    await eventually(lambda: any("trả lời câu hỏi số 1" in t for t in texts(zalo)))
    relay = next(t for t in texts(zalo) if "trả lời câu hỏi số 1" in t)
    assert "Hộ kinh doanh có phải đăng ký" in relay, "the question is quoted above the answer"
    assert "Không bắt buộc" in relay
    await eventually(lambda: any("đánh giá" in t for t in texts(zalo)))
    rating = next(m for m in reversed(zalo.sent_to(USER)) if "đánh giá" in m.text)
    assert len(rating.buttons) == 5, "five rating buttons fit one button template"
    await tap(zalo, "5 ⭐", "5/5")


async def test_a_message_outside_the_7_day_window_waits_and_goes_when_the_user_writes(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    await say(zalo, f"/link {await _link_code(engine)}", "Lan", user=OFFICER)
    await _citizen_asks(stack)
    await eventually(lambda: any("#Q1" in t for t in texts(zalo, OFFICER)))
    zalo.leave_window(USER)  # a week passes without the citizen writing

    await say(zalo, "/answer 1 Không bắt buộc.", "Đã ghi nhận và gửi", user=OFFICER)

    async def parked() -> bool:
        return (await _statuses(engine, USER))[-2:] == ["waiting", "waiting"]

    await eventually_async(parked)
    assert not any("trả lời câu hỏi số 1" in t for t in texts(zalo)), "sent outside the window"
    assert (USER, -230) in zalo.state.refused

    before = len(zalo.sent_to(USER))
    await say(zalo, "menu", "Bạn muốn làm gì")  # the citizen writes again
    arrived = texts(zalo)[before:]
    answer = next(i for i, t in enumerate(arrived) if "trả lời câu hỏi số 1" in t)
    menu = next(i for i, t in enumerate(arrived) if "Bạn muốn làm gì" in t)
    assert answer < menu, f"the waiting answer must go before the new reply: {arrived}"
    await eventually_async(lambda: _all_sent(engine, USER))


async def _all_sent(engine: AsyncEngine, recipient: str) -> bool:
    return set(await _statuses(engine, recipient)) == {"sent"}
