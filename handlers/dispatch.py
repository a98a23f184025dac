"""The single entry point of every channel: one inbound event -> replies in the outbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from consultations import dialog, events, outbox, participants
from consultations.errors import DomainError
from handlers.flows.context import Conversation, FlowSettings, NeedsConsent
from handlers.flows.menu import show_consent, show_menu
from handlers.flows.router import route
from handlers.messages import Inbound, Reply
from handlers.paging import split_pages
from handlers.texts import has, locale_of
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What handling an event produced; `duplicate` when it had been handled before."""

    duplicate: bool
    locale: str = "vi"
    replies: list[Reply] = field(default_factory=list)
    outbox_ids: list[int] = field(default_factory=list)


def reply_key(channel: str, event_id: str, index: int) -> str:
    """The outbox dedupe key of the index-th reply to an event."""
    return f"reply:{channel}:{event_id}:{index}"


async def dispatch(uow: UnitOfWork, inbound: Inbound, settings: FlowSettings) -> Outcome:
    """Handle one event inside the caller's unit of work; the caller commits.

    The event record, the changes the flow made, the dialog state and the
    replies are committed together, so a redelivered event changes nothing.
    """
    if not await events.record(uow, inbound.channel, inbound.event_id):
        return Outcome(duplicate=True, locale=locale_of(inbound.locale_hint))
    person = await participants.find(uow, inbound.channel, inbound.user_ref)
    state = await dialog.load(uow, person.id) if person else dialog.Dialog()
    conv = Conversation(uow, inbound, person, state, settings)
    await _run(conv)
    if conv.participant is not None:
        await dialog.save(uow, conv.participant.id, conv.dialog)
    outbox_ids = await _enqueue(conv)
    return Outcome(False, conv.locale, conv.replies, outbox_ids)



async def _run(conv: Conversation) -> None:
    """Run the step in a savepoint: a domain 'no' undoes the step, not the event record."""
    session = conv.uow.session
    try:
        async with session.begin_nested():
            await route(conv)
    except NeedsConsent:
        conv.replies.clear()
        show_consent(conv, conv.text("consent.required"))
    except DomainError as error:
        conv.replies.clear()
        await _restore(conv)
        key = f"error.{error.key}"
        message = conv.text(key, **error.params) if has(key) else conv.text("error.generic")
        if not has(key):
            log.warning("domain error without text: %s", error.key)
        if conv.dialog.step == "menu":
            show_menu(conv, message)
        else:  # keep the step, so the person can simply try again
            conv.say(message, [[conv.button("button.menu", "menu")]])


async def _restore(conv: Conversation) -> None:
    """After a rolled-back step, continue from the state saved before it."""
    if conv.participant is not None:
        conv.dialog = await dialog.load(conv.uow, conv.participant.id)
        conv.participant = await participants.find(
            conv.uow, conv.inbound.channel, conv.inbound.user_ref
        )


async def _enqueue(conv: Conversation) -> list[int]:
    """Queue the replies, split to the channel's length limit, in the event's transaction."""
    participant_id = conv.participant.id if conv.participant else None
    limit = conv.settings.text_limits.get(conv.inbound.channel)
    ids = []
    for index, payload in enumerate(_payloads(conv, limit)):
        message = await outbox.enqueue(
            conv.uow,
            channel=conv.inbound.channel,
            recipient=conv.inbound.user_ref,
            payload=payload,
            dedupe_key=reply_key(conv.inbound.channel, conv.inbound.event_id, index),
            participant_id=participant_id,
        )
        if message is not None:
            ids.append(message.id)
    return ids


def _payloads(conv: Conversation, limit: int | None) -> list[dict[str, Any]]:
    """One payload per message; buttons stay on the last part of a split reply.

    The first message may replace the one whose button was pressed (a menu page
    turning), when the reply asks for it and the channel told us that message.
    """
    payloads: list[dict[str, Any]] = []
    for reply in conv.replies:
        parts = split_pages(reply.text, limit) if limit else [reply.text]
        for number, part in enumerate(parts):
            last = number == len(parts) - 1
            payload = Reply(part, reply.buttons if last else (), reply.attachment if last else None)
            payloads.append(payload.to_payload())
    first = conv.replies[0] if conv.replies else None
    if first is not None and first.edit_previous and conv.inbound.message_ref and payloads:
        payloads[0]["edit_ref"] = conv.inbound.message_ref
    return payloads
