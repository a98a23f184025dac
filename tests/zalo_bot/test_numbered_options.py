"""A typed number maps back to the option it stood for, read from the outbox (both backends)."""

from __future__ import annotations

from sqlalchemy import update

from consultations import numbered_options, outbox
from consultations.numbered_options import Option, options_of
from handlers.messages import Button, Reply
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory

CHAT = "chat-1"
MENU = Reply("Menu", ((Button("Xem dự thảo", "rounds"), Button("Góp ý", "comment")),
                      (Button("Hỏi", "ask"),)))
STANCES = Reply("Quan điểm?", ((Button("Đồng tình", "st:support"),
                                Button("Không đồng tình", "st:oppose")),))


async def _queue(uow_factory: UnitOfWorkFactory, key: str, reply: Reply, *,
                 status: str = "sent", recipient: str = CHAT, channel: str = "zalo_bot") -> None:
    async with uow_factory() as uow:
        row = await outbox.enqueue(uow, channel=channel, recipient=recipient,
                                   payload=reply.to_payload(), dedupe_key=key)
        assert row is not None
        await uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row.id).values(status=status)
        )
        await uow.commit()


async def _pick(uow_factory: UnitOfWorkFactory, text: str, recipient: str = CHAT) -> str | None:
    async with uow_factory() as uow:
        return await numbered_options.action_for(uow, "zalo_bot", recipient, text)


def test_buttons_are_numbered_row_by_row_left_to_right() -> None:
    assert options_of(MENU.to_payload()) == [
        Option(1, "Xem dự thảo", "rounds"), Option(2, "Góp ý", "comment"), Option(3, "Hỏi", "ask")
    ]
    assert options_of(Reply("no buttons").to_payload()) == []


async def test_a_number_picks_from_the_newest_message_handed_to_the_platform(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await _queue(uow_factory, "a", MENU)
    assert await _pick(uow_factory, "2") == "comment"
    await _queue(uow_factory, "b", STANCES, status="sending")
    assert await _pick(uow_factory, " 2. ") == "st:oppose", "a message being sent counts as shown"
    await _queue(uow_factory, "c", Reply("Cảm ơn bạn."))
    assert await _pick(uow_factory, "1") == "st:support", (
        "a message without options leaves the last list usable, like an older keyboard"
    )


async def test_unsent_messages_other_chats_and_other_channels_offer_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await _queue(uow_factory, "a", MENU)
    await _queue(uow_factory, "b", STANCES, status="pending")
    await _queue(uow_factory, "c", STANCES, recipient="someone-else")
    await _queue(uow_factory, "d", STANCES, channel="telegram")
    assert await _pick(uow_factory, "3") == "ask", "only what this chat was shown counts"
    assert await _pick(uow_factory, "1", recipient="nobody") is None


async def test_what_is_not_a_listed_number_passes_through(uow_factory: UnitOfWorkFactory) -> None:
    await _queue(uow_factory, "a", MENU)
    for text in ("4", "0", "hai", "2 nữa", "12345", ""):
        assert await _pick(uow_factory, text) is None, f"{text!r} should stay text"
