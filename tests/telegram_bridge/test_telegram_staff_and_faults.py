"""Staff answering from Telegram, and delivery under injected Bot API faults."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.telegram.standin import StandinFaults, make_text_update, make_user
from consultations import outbox, staff, staff_links
from storage.engine import session_factory
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.telegram.tg_helpers import eventually as _eventually
from tests.telegram_bridge.conftest import Stack
from tests.telegram_bridge.helpers import press, say, texts

CITIZEN, OFFICER = 700_101, 700_202


async def eventually(check: Callable[[], bool], within: float = 15.0) -> None:
    await _eventually(check, within)


async def _link_code(engine: AsyncEngine) -> str:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        from consultations import rounds

        agency_id = (await rounds.list_rounds(uow))[0].agency_id
        staff_id = await staff.create_staff(
            uow,
            login="lan",
            display_name="Lan",
            role="agency_staff",
            password=None,
            agency_id=agency_id,
            actor="test",
        )
        code = await staff_links.issue_code(uow, staff_id=staff_id, actor="test")
        await uow.commit()
        return code


async def test_staff_answers_by_replying_and_the_citizen_gets_it_with_a_rating_request(
    webhook_stack: Stack, engine: AsyncEngine
) -> None:
    standin = webhook_stack.standin
    code = await _link_code(engine)
    await say(webhook_stack, f"/link {code}", "Lan", chat=OFFICER)

    await say(webhook_stack, "/start", "Xin chào", chat=CITIZEN)
    await press(webhook_stack, "Tôi đồng ý", "Bạn muốn làm gì", chat=CITIZEN)
    await say(webhook_stack, "hỏi", "Mời bạn nhập câu hỏi", chat=CITIZEN)
    await say(
        webhook_stack,
        "Hộ kinh doanh có phải đăng ký tài khoản không? SĐT 0912345678",
        "câu hỏi số 1",
        chat=CITIZEN,
    )
    await eventually(lambda: any("#Q1" in t for t in texts(standin, OFFICER)))
    notice = next(m for m in standin.sent_to(OFFICER) if "#Q1" in (m.text or ""))
    assert "0912345678" not in (notice.text or ""), "staff see the question without contact data"

    reply = make_text_update(
        OFFICER, "Không bắt buộc; có thể phản ánh không cần tài khoản.", user=make_user(OFFICER)
    )
    reply["message"]["reply_to_message"] = notice.message
    standin.inject_update(reply)
    await eventually(lambda: any("trả lời câu hỏi số 1" in t for t in texts(standin, CITIZEN)))
    relay = next(m for m in standin.sent_to(CITIZEN) if "trả lời câu hỏi số 1" in (m.text or ""))
    assert "Hộ kinh doanh có phải đăng ký" in (relay.text or ""), "the question is quoted"
    await eventually(lambda: any("đánh giá" in t for t in texts(standin, CITIZEN)))
    await press(webhook_stack, "5", "5/5", chat=CITIZEN)
    assert standin.violations == 0


async def test_every_row_is_delivered_despite_twenty_percent_faults(
    webhook_stack: Stack, engine: AsyncEngine
) -> None:
    standin = webhook_stack.standin
    standin.faults = StandinFaults(
        seed=7,
        server_error=0.05,
        bad_gateway=0.04,
        too_many_requests=0.06,
        retry_after=1,
        timeout=0.05,
        timeout_hold_s=6,
    )
    chats = [800_000 + n for n in range(30)]
    uow_factory = UnitOfWorkFactory(session_factory(engine))
    async with uow_factory() as uow:
        for n in range(150):
            chat = chats[n % len(chats)]
            await outbox.enqueue(
                uow,
                channel="telegram",
                recipient=str(chat),
                payload={"text": f"Tin số {n}", "buttons": []},
                dedupe_key=f"fault-test:{n}",
            )
        await uow.commit()
    webhook_stack.runtime.ctx.wake_dispatcher()  # type: ignore[union-attr]

    async def finished() -> int:
        async with uow_factory() as uow:
            return int(
                await uow.session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.status.in_(["pending", "sending"]))
                )
                or 0
            )

    for _ in range(900):  # bounded: at most 90 s
        if await finished() == 0:
            break
        await asyncio.sleep(0.1)
    assert await finished() == 0, "every row reaches a final state"
    async with uow_factory() as uow:
        statuses = collections.Counter(
            (await uow.session.execute(select(OutboxMessage.status))).scalars()
        )
    assert statuses == {"sent": 150}, statuses
    delivered = collections.Counter(m.text for m in standin.sent if m.chat_id in chats)
    assert set(delivered) == {f"Tin số {n}" for n in range(150)}, "none lost"
    duplicates = sum(count - 1 for count in delivered.values())
    stats = webhook_stack.runtime.dispatcher.stats  # type: ignore[union-attr]
    assert duplicates <= stats.ambiguous, "a message arrives twice only after an ambiguous time-out"
    assert standin.violations == 0 and standin.retry_after_ignored == 0
    print(f"faults: {stats}; duplicates after time-outs: {duplicates}")
