"""How a step's replies become messages: a note without buttons rides with the next reply."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.flows.chat import Chat


async def _payloads(uow_factory: UnitOfWorkFactory, recipient: str) -> list[dict[str, object]]:
    async with uow_factory() as uow:
        rows = await uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        )
        return [dict(row.payload) for row in rows]


async def test_a_kept_comment_note_and_the_stance_question_are_one_message(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory, "n1", channel="telegram")
    await chat.consent()
    before = len(await _payloads(uow_factory, "n1"))
    await chat.send("Đề nghị rút ngắn thời hạn trả lời phản ánh xuống bảy ngày làm việc.")
    assert len(chat.replies) == 2, "the flow says two things"

    sent = (await _payloads(uow_factory, "n1"))[before:]
    assert len(sent) == 1, "but they go out as one message"
    text = str(sent[0]["text"])
    assert text.index("giữ nội dung") < text.index("Quan điểm của bạn")
    assert sent[0]["buttons"], "with the question's buttons"


async def test_replies_that_would_pass_the_channel_limit_stay_apart(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    from handlers.dispatch import _joined
    from handlers.messages import Button, Reply

    note, question = Reply("x" * 90), Reply("y" * 20, ((Button("ok", "menu"),),))
    assert [r.text for r in _joined([note, question], 200)] == ["x" * 90 + "\n\n" + "y" * 20]
    assert len(_joined([note, question], 100)) == 2
    assert len(_joined([question, note], 200)) == 2, "a message with buttons ends its own"
    assert _joined([note, question], 200)[0].buttons == question.buttons
