"""Events of several people handled in one transaction give what one by one would."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ingest import IngestBatcher
from handlers.dispatch import Outcome
from handlers.flows.context import FlowSettings
from handlers.messages import Inbound, Reply
from storage.models import Comment, InboundEvent, OutboxMessage, Participant
from storage.uow import UnitOfWorkFactory
from tests.flows.chat import Chat

_ids = itertools.count(1)


class BatchedChat(Chat):
    """A Chat whose events go through the batcher, as the Telegram bridge sends them."""

    def __init__(self, batcher: IngestBatcher, uow_factory: UnitOfWorkFactory, user: str):
        super().__init__(uow_factory, user, channel="telegram")
        self.batcher = batcher
        self.last: Outcome | None = None

    async def send(self, text: str | None = None, *, action: str | None = None,
                   event_id: str | None = None, **extra: object) -> list[Reply]:
        inbound = Inbound(channel="telegram", user_ref=self.user,
                          event_id=event_id or f"b{next(_ids)}", text=text, action=action)
        self.last = await self.batcher.handle(inbound)
        self.replies = self.last.replies
        return self.replies


COMMENTS = [
    "Đề nghị rút ngắn thời hạn trả lời phản ánh xuống bảy ngày làm việc.",
    "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ nên được miễn cho hộ nghèo.",
    "Bộ phận một cửa cần mở cửa cả sáng thứ bảy để người đi làm kịp nộp hồ sơ.",
    "Cổng dịch vụ công trực tuyến hay bị lỗi khi tải tệp đính kèm dung lượng lớn.",
    "Thủ tục đăng ký kinh doanh hộ cá thể còn yêu cầu bản sao công chứng không cần thiết.",
    "Kiểm tra định kỳ doanh nghiệp nhỏ chỉ nên tiến hành một lần mỗi năm.",
    "Cần công khai danh sách cán bộ tiếp nhận hồ sơ kèm số điện thoại liên hệ.",
    "Điều khoản chuyển tiếp phải nói rõ hồ sơ nộp trước ngày hiệu lực xử lý ra sao.",
    "Xe đưa đón học sinh vùng núi nên được hỗ trợ chi phí nhiên liệu từ ngân sách.",
    "Quy định về biển quảng cáo ngoài trời ở khu phố cổ chưa phân biệt kích thước.",
    "Nông dân trồng lúa hữu cơ mong được vay vốn ưu đãi không cần tài sản thế chấp.",
    "Bãi trông giữ xe tại bệnh viện tỉnh thu phí cao hơn mức niêm yết.",
    "Chợ đầu mối cần thêm điểm thu gom rác thải nhựa và lịch vệ sinh hằng ngày.",
]


def _comment(n: int) -> str:
    return COMMENTS[n % len(COMMENTS)]


def _shape(replies: list[Reply]) -> list[str]:
    """Replies without what differs from person to person: numbers and the quoted comment."""
    return [re.sub(r"\d+", "#", re.sub("«[^»]*»", "«»", reply.text)) for reply in replies]


async def _count(uow_factory: UnitOfWorkFactory, model: type) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def _all_at_once(chats: list[BatchedChat], step: str, *labels: str) -> None:
    if step == "send":
        await asyncio.gather(*(chat.send(_comment(n)) for n, chat in enumerate(chats)))
    elif step == "press":
        await asyncio.gather(*(chat.press(labels[0]) for chat in chats))
    else:
        await asyncio.gather(*(chat.send(step) for chat in chats))


async def test_people_writing_at_once_share_transactions_and_get_the_same_answers(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    alone = Chat(uow_factory, "alone", channel="telegram")
    await alone.consent()
    await alone.send(_comment(12))
    seen_alone = [_shape(alone.replies)]
    await alone.press("Không đồng tình")
    seen_alone.append(_shape(alone.replies))
    await alone.press("Gửi")
    seen_alone.append(_shape(alone.replies))

    batcher = IngestBatcher(uow_factory, FlowSettings())
    chats = [BatchedChat(batcher, uow_factory, f"p{n}") for n in range(12)]
    await _all_at_once(chats, "xin chào")
    await _all_at_once(chats, "press", "đồng ý")
    await _all_at_once(chats, "send")
    seen = [[_shape(chat.replies)] for chat in chats]
    await _all_at_once(chats, "press", "Không đồng tình")
    for chat, mine in zip(chats, seen, strict=True):
        mine.append(_shape(chat.replies))
    await _all_at_once(chats, "press", "Gửi")
    for chat, mine in zip(chats, seen, strict=True):
        mine.append(_shape(chat.replies))
    await batcher.close()

    for mine in seen:
        assert mine == seen_alone
    assert batcher.events == 5 * 12
    assert batcher.batches < batcher.events / 2, "events that came together shared commits"
    assert await _count(uow_factory, Participant) == 13
    assert await _count(uow_factory, Comment) == 13
    async with uow_factory() as uow:
        stances = set(await uow.session.scalars(select(Comment.stance)))
        keys = list(await uow.session.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.recipient == "p3")))
    assert stances == {"oppose"}
    assert len(keys) == len(set(keys)), "each reply queued once"
    assert len({key.rsplit(":", 1)[0] for key in keys}) == 5, "every event of p3 answered"


async def test_a_refused_step_in_a_batch_costs_only_its_own_event(
    uow_factory: UnitOfWorkFactory, open_round: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.ingest")
    batcher = IngestBatcher(uow_factory, FlowSettings())
    chats = [BatchedChat(batcher, uow_factory, f"p{n}") for n in range(6)]
    await _all_at_once(chats, "xin chào")
    await _all_at_once(chats, "press", "đồng ý")
    stranger = BatchedChat(batcher, uow_factory, "stranger")
    # Only a consenting person may comment: the stranger's press is refused (NeedsConsent)
    # in the middle of a batch of people whose comments go through.
    await asyncio.gather(
        *(chat.send(_comment(n)) for n, chat in enumerate(chats)),
        stranger.send(action="comment"),
    )
    await batcher.close()

    assert "a batch of 7 failed (NeedsConsent)" in caplog.text
    assert "đồng ý" in stranger.text.lower(), "the refusal is explained, as one by one"
    assert all("Quan điểm của bạn" in chat.text for chat in chats)
    assert await _count(uow_factory, Participant) == 6
    async with uow_factory() as uow:
        recorded = set(await uow.session.scalars(
            select(InboundEvent.event_id).where(InboundEvent.channel == "telegram")))
    assert len(recorded) == 6 * 3 + 1, "every event recorded once, the refused one too"


async def test_an_event_delivered_again_is_a_duplicate_in_a_batch_too(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    batcher = IngestBatcher(uow_factory, FlowSettings())
    first, second = (BatchedChat(batcher, uow_factory, user) for user in ("a", "b"))
    await asyncio.gather(first.send("xin chào", event_id="same-1"), second.send("xin chào"))
    rows = await _count(uow_factory, OutboxMessage)
    await asyncio.gather(first.send("xin chào", event_id="same-1"), second.send("tro giup"))
    await batcher.close()

    assert first.last is not None and first.last.duplicate
    assert second.last is not None and not second.last.duplicate
    assert await _count(uow_factory, OutboxMessage) == rows + 1


async def test_a_closed_batcher_refuses_so_the_platform_sends_again(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    batcher = IngestBatcher(uow_factory, FlowSettings())
    await batcher.close()
    chat = BatchedChat(batcher, uow_factory, "late")
    try:
        await chat.send("xin chào")
    except RuntimeError:
        pass
    else:
        raise AssertionError("a stopping service must not answer as if it had handled it")
    assert await _count(uow_factory, InboundEvent) == 0


async def test_a_batch_reads_the_open_rounds_once_for_everybody(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    batcher = IngestBatcher(uow_factory, FlowSettings())
    chats = [BatchedChat(batcher, uow_factory, f"p{n}") for n in range(8)]
    await _all_at_once(chats, "xin chào")
    await _all_at_once(chats, "press", "đồng ý")
    reads: list[str] = []

    def count(*args: object) -> None:
        statement = str(args[2])
        if statement.lstrip().startswith("SELECT") and "FROM rounds" in statement:
            reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await _all_at_once(chats, "send")  # each comment starts by finding the open round
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    await batcher.close()

    assert all("Quan điểm của bạn" in chat.text for chat in chats)
    assert len(reads) == 1, reads
