"""The per-event conversation context every flow step works with."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from consultations import rounds
from consultations.dialog import Dialog
from consultations.errors import DomainError
from consultations.views import ParticipantView, RoundView
from consultations.vocab import RoundStatus
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


class RoundReads:
    """Rounds read in one transaction, read from the database once for all its events.

    Almost every event looks at the open rounds. When several people's events share a
    transaction (handlers.dispatch.dispatch_many) they share one of these; a citizen's step
    never changes a round, so what the first read found holds for the rest.
    """

    def __init__(self) -> None:
        self._open: list[RoundView] | None = None
        self._by_id: dict[int, RoundView] = {}

    async def open_rounds(self, uow: UnitOfWork) -> list[RoundView]:
        if self._open is None:
            self._open = await rounds.list_rounds(uow, RoundStatus.OPEN)
            self._by_id.update((item.id, item) for item in self._open)
        return list(self._open)

    async def get(self, uow: UnitOfWork, round_id: int) -> RoundView:
        """The round, or NotFound (not remembered: the caller's answer ends the step)."""
        if round_id not in self._by_id:
            self._by_id[round_id] = await rounds.get_round(uow, round_id)
        return self._by_id[round_id]


class Conversation:
    """One inbound event being handled: who, where they are, and the replies so far."""

    def __init__(
        self,
        uow: UnitOfWork,
        inbound: Inbound,
        participant: ParticipantView | None,
        dialog: Dialog,
        settings: FlowSettings,
        reads: RoundReads | None = None,
    ) -> None:
        self.uow = uow
        self.inbound = inbound
        self.participant = participant
        self.dialog = dialog
        self.settings = settings
        self.reads = reads or RoundReads()
        self.replies: list[Reply] = []
        self._locale_override: str | None = None

    @property
    def locale(self) -> str:
        if self._locale_override:
            return self._locale_override
        if self.participant is not None:
            return self.participant.locale
        return locale_of(self.inbound.locale_hint)

    async def open_rounds(self) -> list[RoundView]:
        """The rounds open now, newest first."""
        return await self.reads.open_rounds(self.uow)

    async def round(self, round_id: int) -> RoundView:
        """Any round by id (NotFound if there is none); see reading.public_round."""
        return await self.reads.get(self.uow, round_id)

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
