"""Privacy: see one's data, or be forgotten at once."""

from __future__ import annotations

import json

from consultations import privacy
from consultations.vocab import CONSENT_TEXT_VERSION
from handlers.flows.context import Conversation
from handlers.flows.menu import show_consent


def show(conv: Conversation) -> None:
    conv.me()
    conv.say(
        conv.text("privacy.title", version=CONSENT_TEXT_VERSION),
        [
            [conv.button("privacy.export", "export")],
            [conv.button("privacy.forget", "forget:ask")],
            [conv.button("button.menu", "menu")],
        ],
    )


async def export(conv: Conversation) -> None:
    data = await privacy.export_data(conv.uow, conv.me().id)
    dump = json.dumps(data, ensure_ascii=False, indent=1)
    conv.say(conv.text("privacy.export_text", data=dump), [[conv.button("button.menu", "menu")]])


def ask_forget(conv: Conversation) -> None:
    conv.me()
    conv.goto("forget_confirm")
    conv.say(
        conv.text("privacy.forget_confirm"),
        [
            [conv.button("privacy.forget_yes", "forget:yes")],
            [conv.button("button.cancel", "cancel")],
        ],
    )


async def forget(conv: Conversation) -> None:
    me = conv.me()
    await privacy.forget(conv.uow, me.id)
    conv.participant = None
    conv.say(conv.text("privacy.forgotten"))
    show_consent(conv)
