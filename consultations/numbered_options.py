"""Numbered options for chats without buttons: what a bare "2" typed back means.

A channel that cannot show buttons (the Zalo Bot) lists a reply's buttons as
numbered lines instead. The numbering is not stored separately: it is derived
from the outbox row's payload (its `buttons`, row by row, left to right), by the
same function the renderer uses, so what was shown and what a number maps back
to cannot disagree. The options offered last are those of the newest message
already handed to the platform that had any, like a Telegram keyboard that stays
pressable on an older message; the flows reject an action that is no longer
valid at the current step, as they do for an old button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from storage.models import OutboxMessage
from storage.uow import UnitOfWork

# Rows handed to the platform: sent, or being sent right now (the citizen may read it already).
HANDED_OVER = ("sent", "sending")
LOOKBACK = 10  # messages searched for the last list of options
_NUMBER = re.compile(r"\s*(\d{1,2})\s*[.)]?\s*")


@dataclass(frozen=True)
class Option:
    """One numbered line: what the citizen reads and the action the number stands for."""

    number: int
    label: str
    action: str


def options_of(payload: dict[str, Any]) -> list[Option]:
    """The payload's buttons numbered from 1, row by row, left to right."""
    options: list[Option] = []
    for row in payload.get("buttons") or []:
        for button in row:
            action = str(button.get("action") or "")
            if action:
                options.append(Option(len(options) + 1, str(button.get("label", "")), action))
    return options


def typed_number(text: str) -> int | None:
    """The number in a message that is only a number ("2", " 2 ", "2."), else None."""
    found = _NUMBER.fullmatch(text)
    return int(found.group(1)) if found else None


async def last_offered(uow: UnitOfWork, channel: str, recipient: str) -> list[Option]:
    """The options of the newest handed-over message to this chat that offered any."""
    payloads = await uow.session.scalars(
        select(OutboxMessage.payload)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.recipient == recipient,
            OutboxMessage.status.in_(HANDED_OVER),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(LOOKBACK)
    )
    for payload in payloads:
        options = options_of(payload)
        if options:
            return options
    return []


async def action_for(uow: UnitOfWork, channel: str, recipient: str, text: str) -> str | None:
    """The action a typed number picks from the options last offered; None if it picks none."""
    number = typed_number(text)
    if number is None:
        return None
    for option in await last_offered(uow, channel, recipient):
        if option.number == number:
            return option.action
    return None
