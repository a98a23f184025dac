"""The single entry point of every channel: one inbound event -> replies in the outbox."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from consultations import dialog, events, outbox, participants
from consultations.errors import DomainError
from handlers.flows.context import Conversation, FlowSettings, NeedsConsent, RoundReads
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
    # A caller that wrote nothing yet leaves the whole transaction to the event, so a
    # refused step can roll all of it back; otherwise the step runs in a savepoint.
    owns_transaction = not uow.session.in_transaction()
    if not await events.record(uow, inbound.channel, inbound.event_id):
        return _duplicate(inbound)
    conv = await _conversation(uow, inbound, settings)
    try:
        if owns_transaction:
            await route(conv)
        else:
            async with uow.session.begin_nested():
                await route(conv)
    except DomainError as error:
        undone = await _undo_step(conv, owns_transaction)
        if undone is None:
            return _duplicate(inbound)
        conv = undone
        _explain(conv, error)
    if conv.participant is not None:
        await dialog.save(uow, conv.participant.id, conv.dialog)
    outbox_ids = await _enqueue(conv)
    return Outcome(False, conv.locale, conv.replies, outbox_ids)


@dataclass
class BatchOutcome:
    """Each event's outcome, in the order given, and the ids of the replies queued for all."""

    outcomes: list[Outcome]
    outbox_ids: list[int]


async def dispatch_many(
    uow: UnitOfWork, inbounds: Sequence[Inbound], settings: FlowSettings
) -> BatchOutcome:
    """Handle events of different people of one channel in one transaction; the caller
    commits. One statement per table for all of them: the event records, the people and
    their dialogs, the dialogs saved and the replies queued.

    Under load the costly part of an event is its round trips to the database, not its
    work, so events that arrive together are handled together (bot/ingest.py). Each
    event must come from a different person: a person's events depend on each other. A
    refused step raises its DomainError (no savepoint per event); nothing is written
    then, and the caller handles the events again one by one.
    """
    if not inbounds:
        return BatchOutcome([], [])
    channel = inbounds[0].channel
    assert all(inbound.channel == channel for inbound in inbounds), "one channel per batch"
    fresh = await events.record_many(uow, channel, [inbound.event_id for inbound in inbounds])
    handled = [inbound for inbound in inbounds if inbound.event_id[:128] in fresh]
    found = await participants.find_many_with_dialog(
        uow, channel, [inbound.user_ref for inbound in handled]
    )
    conversations: dict[str, Conversation] = {}
    reads = RoundReads()  # the open rounds are read once for the whole batch
    for inbound in handled:
        person, state = found.get(inbound.user_ref) or (None, dialog.Dialog())
        conv = Conversation(uow, inbound, person, state, settings, reads)
        await route(conv)
        await uow.session.flush()  # the next person's plain-column reads see what this wrote
        conversations[inbound.event_id] = conv
    await dialog.save_many(uow, [
        (conv.participant.id, conv.dialog)
        for conv in conversations.values() if conv.participant is not None
    ])
    outbox_ids = await outbox.enqueue_rows(uow, [
        message for conv in conversations.values() for message in _outgoing(conv)
    ])
    outcomes = [_outcome(conversations.get(inbound.event_id), inbound) for inbound in inbounds]
    return BatchOutcome(outcomes, outbox_ids)


def _outcome(conv: Conversation | None, inbound: Inbound) -> Outcome:
    """A handled event's replies; an event without a conversation was a duplicate."""
    return _duplicate(inbound) if conv is None else Outcome(False, conv.locale, conv.replies)


def _duplicate(inbound: Inbound) -> Outcome:
    return Outcome(duplicate=True, locale=locale_of(inbound.locale_hint))


async def _conversation(uow: UnitOfWork, inbound: Inbound, settings: FlowSettings) -> Conversation:
    person, state = await participants.find_with_dialog(uow, inbound.channel, inbound.user_ref)
    return Conversation(uow, inbound, person, state, settings)


async def _undo_step(conv: Conversation, owns_transaction: bool) -> Conversation | None:
    """After a domain 'no', the state from before the step; None if the event is now a
    duplicate (recorded by another process while ours was rolled back).

    Without a savepoint (two statements saved on every event) the whole transaction
    is rolled back, so the event is recorded again and the conversation reloaded.
    """
    uow, inbound = conv.uow, conv.inbound
    if owns_transaction:
        await uow.rollback()
        if not await events.record(uow, inbound.channel, inbound.event_id):
            return None
        return await _conversation(uow, inbound, conv.settings)
    conv.replies.clear()
    if conv.participant is not None:
        conv.dialog = await dialog.load(uow, conv.participant.id)
        conv.participant = await participants.find(uow, inbound.channel, inbound.user_ref)
    return conv


def _explain(conv: Conversation, error: DomainError) -> None:
    """The polite answer to a refused step."""
    if isinstance(error, NeedsConsent):
        show_consent(conv, conv.text("consent.required"))
        return
    key = f"error.{error.key}"
    message = conv.text(key, **error.params) if has(key) else conv.text("error.generic")
    if not has(key):
        log.warning("domain error without text: %s", error.key)
    if conv.dialog.step == "menu":
        show_menu(conv, message)
    else:  # keep the step, so the person can simply try again
        conv.say(message, [[conv.button("button.menu", "menu")]])


def _outgoing(conv: Conversation) -> list[outbox.Outgoing]:
    """The replies as outbox rows, split to the channel's length limit."""
    inbound = conv.inbound
    payloads = _payloads(conv, conv.settings.text_limits.get(inbound.channel))
    participant_id = conv.participant.id if conv.participant else None
    return [
        outbox.Outgoing(reply_key(inbound.channel, inbound.event_id, index), inbound.channel,
                        inbound.user_ref, payload, participant_id)
        for index, payload in enumerate(payloads)
    ]


async def _enqueue(conv: Conversation) -> list[int]:
    """Queue the replies, split to the channel's length limit, in the event's transaction."""
    inbound = conv.inbound
    payloads = _payloads(conv, conv.settings.text_limits.get(inbound.channel))
    return await outbox.enqueue_many(
        conv.uow,
        channel=inbound.channel,
        recipient=inbound.user_ref,
        payloads=[
            (reply_key(inbound.channel, inbound.event_id, index), payload)
            for index, payload in enumerate(payloads)
        ],
        participant_id=conv.participant.id if conv.participant else None,
    )


def _joined(replies: list[Reply], limit: int | None) -> list[Reply]:
    """A note without buttons goes out in one message with the reply after it.

    One message instead of two is one notification on the person's phone, one send (on
    Zalo, one message less of the account's quota) and one outbox row.
    """
    joined: list[Reply] = []
    for reply in replies:
        last = joined[-1] if joined else None
        fits = last is not None and (limit is None or len(last.text) + len(reply.text) + 2 <= limit)
        if last is not None and fits and not last.buttons and last.attachment is None:
            joined[-1] = Reply(f"{last.text}\n\n{reply.text}", reply.buttons, reply.attachment,
                               last.edit_previous)
        else:
            joined.append(reply)
    return joined


def _payloads(conv: Conversation, limit: int | None) -> list[dict[str, Any]]:
    """One payload per message; buttons stay on the last part of a split reply.

    The first message may replace the one whose button was pressed (a menu page
    turning), when the reply asks for it and the channel told us that message.
    """
    payloads: list[dict[str, Any]] = []
    for reply in _joined(conv.replies, limit):
        parts = split_pages(reply.text, limit) if limit else [reply.text]
        for number, part in enumerate(parts):
            last = number == len(parts) - 1
            payload = Reply(part, reply.buttons if last else (), reply.attachment if last else None)
            payloads.append(payload.to_payload())
    first = conv.replies[0] if conv.replies else None
    if first is not None and first.edit_previous and conv.inbound.message_ref and payloads:
        payloads[0]["edit_ref"] = conv.inbound.message_ref
    return payloads
