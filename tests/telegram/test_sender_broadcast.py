"""TelegramSender on the stand-in: announcements as paid broadcasts, replies as before."""

from __future__ import annotations

import json
from typing import Any

from bot.outbox.sender import Delivery, SendStatus
from bot.telegram.sender import TelegramSender
from bot.telegram.standin import StandinLimits
from handlers.messages import Button, Reply
from tests.telegram.tg_helpers import BotFactory, StandinFactory


def announcement(broadcast: bool = True) -> dict[str, Any]:
    payload = Reply("Mời góp ý <dự thảo> về phí & lệ phí",
                    ((Button("Đọc dự thảo", "r:7"),),)).to_payload()
    return {**payload, "broadcast": True} if broadcast else payload


def delivery(n: int, payload: dict[str, Any]) -> Delivery:
    return Delivery(n, "telegram", str(1000 + n), payload, 1)


async def test_an_announcement_goes_as_a_paid_broadcast_with_its_text_and_button(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    # Two ordinary messages a second overall, a thousand paid: only paid broadcasts pass.
    standin = await make_standin(limits=StandinLimits(global_per_window=2, paid_per_window=1000))
    sender = TelegramSender(await make_bot(standin), paid_broadcast=True, per_second=2)

    results = [await sender.send(delivery(n, announcement())) for n in range(5)]

    assert [r.status for r in results] == [SendStatus.SENT] * 5, results
    assert standin.violations == 0
    assert [m.chat_id for m in standin.sent] == [1000 + n for n in range(5)]
    for message in standin.sent:
        assert message.text == "Mời góp ý <dự thảo> về phí & lệ phí", "HTML escaping was lost"
        assert message.params.get("allow_paid_broadcast") in (True, "true", "True")
        keyboard = message.message["reply_markup"]["inline_keyboard"]
        assert keyboard == [[{"text": "Đọc dự thảo", "callback_data": "r:7"}]]


async def test_replies_and_an_unpaid_bot_send_without_the_paid_broadcast_flag(
    make_standin: StandinFactory, make_bot: BotFactory
) -> None:
    standin = await make_standin()
    bot = await make_bot(standin)
    paid = TelegramSender(bot, paid_broadcast=True)
    unpaid = TelegramSender(bot, paid_broadcast=False)

    reply = await paid.send(delivery(1, announcement(broadcast=False)))
    unpaid_announcement = await unpaid.send(delivery(2, announcement()))

    assert (reply.status, unpaid_announcement.status) == (SendStatus.SENT, SendStatus.SENT)
    assert [m.params.get("allow_paid_broadcast") for m in standin.sent] == [None, None]
    markups = [json.loads(m.params["reply_markup"]) for m in standin.sent]
    assert markups[0] == markups[1], "a cached announcement differs from the same reply"
