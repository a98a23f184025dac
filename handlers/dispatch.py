"""The single entry point of every channel: one inbound event -> replies in the outbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from consultations import dialog, events, outbox, participants
from consultations.errors import DomainError
from handlers.flows.context import Conversation, FlowSettings, NeedsConsent
from handlers.flows.menu import show_consent, show_menu
from handlers.flows.router import route
from handlers.messages import Inbound, Reply
from handlers.texts import has
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
        return Outcome(duplicate=True, locale=_hint_locale(inbound))
    person = await participants.find(uow, inbound.channel, inbound.user_ref)
    state = await dialog.load(uow, person.id) if person else dialog.Dialog()
    conv = Conversation(uow, inbound, person, state, settings)
    await _run(conv)
    if conv.participant is not None:
        await dialog.save(uow, conv.participant.id, conv.dialog)
    outbox_ids = await _enqueue(conv)
    return Outcome(False, conv.locale, conv.replies, outbox_ids)


def _hint_locale(inbound: Inbound) -> str:
    return "en" if (inbound.locale_hint or "").lower().startswith("en") else "vi"


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
    ids = []
    participant_id = conv.participant.id if conv.participant else None
    for index, reply in enumerate(conv.replies):
        message = await outbox.enqueue(
            conv.uow,
            channel=conv.inbound.channel,
            recipient=conv.inbound.user_ref,
            payload=reply.to_payload(),
            dedupe_key=reply_key(conv.inbound.channel, conv.inbound.event_id, index),
            participant_id=participant_id,
        )
        if message is not None:
            ids.append(message.id)
    return ids
