"""Zalo's other events end to end: files kept with a comment, shared details not kept,
unfollow and follow, and events recorded but not yet handled when the service stopped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import events
from storage.engine import session_factory
from storage.models import Comment, InboundEvent, Participant
from storage.uow import UnitOfWorkFactory
from tests.zalo.conftest import ZaloStack, start_stack
from tests.zalo.helpers import (
    USER,
    deliver_and_wait,
    eventually,
    eventually_async,
    say,
    tap,
    texts,
)


def _uows(engine: AsyncEngine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(session_factory(engine))


async def _consent(stack: ZaloStack) -> None:
    await say(stack.zalo, "xin chào", "Xin chào")
    await tap(stack.zalo, "Tôi đồng ý", "Bạn muốn làm gì")


async def test_an_image_and_a_file_are_kept_with_the_comment_they_come_with(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    await _consent(stack)
    photo = "https://photo-stal.zadn.vn/a/b/bien-ban.jpg"
    await deliver_and_wait(zalo, zalo.events.file(USER, "https://f.zalo.example/gopy.pdf",
                                                  "gop-y.pdf"), "Đã nhận tệp")
    caption = "Đề nghị bổ sung hợp tác xã vào Điều 2, xem ảnh biên bản kèm theo."
    await deliver_and_wait(zalo, zalo.events.image(USER, photo, caption=caption), "Quan điểm")
    await tap(zalo, "Đồng tình", "Xin kiểm tra lại")
    await tap(zalo, "Gửi", "Đã ghi nhận góp ý số 1")
    async with _uows(engine)() as uow:
        comment = (await uow.session.scalars(select(Comment))).one()
    assert comment.body == caption
    assert [(a["kind"], a["ref"]) for a in comment.attachments] == [
        ("document", "https://f.zalo.example/gopy.pdf"), ("photo", photo)
    ], "the file and the image did not stay with the comment"


async def test_shared_personal_details_are_answered_politely_and_never_stored(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    info = {"name": "Nguyễn Văn An", "phone": "0912345678", "address": "12 Lê Lợi"}
    await deliver_and_wait(zalo, zalo.events.submit_info(USER, info), "không được lưu")
    async with _uows(engine)() as uow:
        stored = [e.payload for e in await uow.session.scalars(select(InboundEvent))]
    assert "0912345678" not in repr(stored), "the shared phone number reached the database"


async def test_unfollow_marks_the_citizen_unreachable_and_follow_welcomes_them_back(
    stack: ZaloStack, engine: AsyncEngine
) -> None:
    zalo = stack.zalo
    await _consent(stack)
    assert await zalo.deliver(zalo.events.unfollow(USER)) == 200

    async def unreachable_at() -> object:
        async with _uows(engine)() as uow:
            person = (await uow.session.scalars(select(Participant))).one()
            return person.unreachable_at

    async def marked() -> bool:
        return await unreachable_at() is not None

    await eventually_async(marked)  # fails with a timeout if the unfollow is never handled
    await deliver_and_wait(zalo, zalo.events.follow(USER), "Bạn muốn làm gì")
    assert await unreachable_at() is None, "following again did not make them reachable"


async def test_events_recorded_before_a_stop_are_handled_after_the_restart(
    db_url: str, engine: AsyncEngine, open_round: int, stack: ZaloStack
) -> None:
    zalo = stack.zalo
    await stack.runtime.stop()
    event = zalo.events.text(USER, "xin chào")
    async with _uows(engine)() as uow:  # what the webhook recorded just before the crash
        assert await events.record(uow, "zalo", event["message"]["msg_id"], event)
        await uow.commit()
    restarted = await start_stack(db_url, zalo)
    try:
        await eventually(lambda: any("Xin chào" in t for t in texts(zalo)))
    finally:
        await restarted.runtime.stop()
