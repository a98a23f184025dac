"""A participant talking to the real flows over a real database, one event at a time."""

from __future__ import annotations

import itertools

from handlers.dispatch import dispatch
from handlers.flows.context import FlowSettings
from handlers.messages import Inbound, Reply
from storage.uow import UnitOfWorkFactory

_ids = itertools.count(1)


class Chat:
    """Sends text or button presses as a channel would; keeps the last replies."""

    def __init__(self, uow_factory: UnitOfWorkFactory, user: str = "u1",
                 channel: str = "webchat", locale_hint: str | None = None) -> None:
        self.uow_factory, self.user, self.channel = uow_factory, user, channel
        self.locale_hint = locale_hint
        self.replies: list[Reply] = []

    async def send(self, text: str | None = None, *, action: str | None = None,
                   event_id: str | None = None, **extra: object) -> list[Reply]:
        inbound = Inbound(channel=self.channel, user_ref=self.user,
                          event_id=event_id or f"e{next(_ids)}", text=text, action=action,
                          locale_hint=self.locale_hint, **extra)  # type: ignore[arg-type]
        async with self.uow_factory() as uow:
            outcome = await dispatch(uow, inbound, FlowSettings())
            await uow.commit()
        self.replies = outcome.replies
        return self.replies

    async def press(self, label_part: str) -> list[Reply]:
        """Press the button whose label contains `label_part` in the last replies."""
        return await self.send(action=self.action_of(label_part))

    def action_of(self, label_part: str) -> str:
        for reply in reversed(self.replies):
            for row in reply.buttons:
                for button in row:
                    if label_part.lower() in button.label.lower():
                        return button.action
        raise AssertionError(f"no button containing {label_part!r} in {self.labels()}")

    def labels(self) -> list[str]:
        return [b.label for r in self.replies for row in r.buttons for b in row]

    @property
    def text(self) -> str:
        return "\n---\n".join(r.text for r in self.replies)

    async def consent(self) -> None:
        await self.send("xin chào")
        await self.press("đồng ý")
