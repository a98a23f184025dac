"""The per-event conversation context every flow step works with."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from consultations.dialog import Dialog
from consultations.errors import DomainError
from consultations.views import ParticipantView
from handlers.messages import Button, Inbound, Reply
from handlers.texts import locale_of, t
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class FlowSettings:
    """What flows need from configuration, as plain values."""

    province: str = "tỉnh Minh Sơn"
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    page_chars: int = 1800
    # The longest text each channel takes in one message; longer replies are split
    # into several messages when queued (each with its own outbox row).
    text_limits: Mapping[str, int] = field(default_factory=dict)


class NeedsConsent(DomainError):
    """The step stores data about the person, who has not consented yet."""

    def __init__(self) -> None:
        super().__init__("consent.required")


class Conversation:
    """One inbound event being handled: who, where they are, and the replies so far."""

    def __init__(
        self,
        uow: UnitOfWork,
        inbound: Inbound,
        participant: ParticipantView | None,
        dialog: Dialog,
        settings: FlowSettings,
    ) -> None:
        self.uow = uow
        self.inbound = inbound
        self.participant = participant
        self.dialog = dialog
        self.settings = settings
        self.replies: list[Reply] = []
        self._locale_override: str | None = None

    @property
    def locale(self) -> str:
        if self._locale_override:
            return self._locale_override
        if self.participant is not None:
            return self.participant.locale
        return locale_of(self.inbound.locale_hint)

    def set_locale(self, locale: str) -> None:
        self._locale_override = locale

    def text(self, key: str, **params: Any) -> str:
        return t(self.locale, key, **params)

    def button(self, key: str, action: str, **params: Any) -> Button:
        return Button(self.text(key, **params), action)

    def say(
        self,
        text: str,
        buttons: Iterable[Sequence[Button]] = (),
        *,
        edit_previous: bool = False,
    ) -> None:
        rows = tuple(tuple(row) for row in buttons if row)
        self.replies.append(Reply(text=text, buttons=rows, edit_previous=edit_previous))

    def me(self) -> ParticipantView:
        """The consenting participant, or NeedsConsent for steps that store personal data."""
        if self.participant is None or not self.participant.consented:
            raise NeedsConsent()
        return self.participant

    def goto(self, step: str, **data: Any) -> None:
        self.dialog.step = step
        self.dialog.data = data

    def date(self, when: datetime | None) -> str:
        if when is None:
            return "—"
        return when.astimezone(self.settings.tz).strftime("%d/%m/%Y")
