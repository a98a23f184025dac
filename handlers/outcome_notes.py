"""Telling people what became of their comments when a round's outcomes are published.

One personal note per person and round, in their language, on the channel they
commented from: the first few of their comments (then those they co-signed),
each with its outcome and the agency's reason, and how many more there are.
The dedupe key is the round and the person, so publishing again, or a retried
transaction, never sends a second note. Forgotten and unreachable people are
not written to (the domain leaves them out).
"""

from __future__ import annotations

from dataclasses import dataclass

from consultations import outbox, reports
from consultations.reports import NoteItem, NoteRecipient, Publication
from handlers import actions, texts
from handlers.messages import Button, Reply
from storage.uow import UnitOfWork

MAX_ITEMS = 5  # comments summarised in one note; the rest are counted
NOTE_LIMIT = 1800  # characters: within every channel's message limit (Zalo's is 2,000)
BODY_CHARS = 140  # of each comment, quoted so the person recognises it
REASON_CHARS = 400  # of each reason
TITLE_CHARS = 200  # of the round's title
_MORE_RESERVE = 120  # room kept for the "… and N more" line


@dataclass(frozen=True)
class PublishResult:
    """What publishing did: whether it was the first time, and how many notes were queued."""

    round_id: int
    first_time: bool
    missing: int
    recipients: int
    queued: int


def note_key(round_id: int, participant_id: int) -> str:
    return f"outcomes:round:{round_id}:participant:{participant_id}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _result(locale: str, item: NoteItem) -> str:
    if item.outcome is None:
        return texts.t(locale, "report.note.pending")
    outcome = texts.t(locale, f"outcome.{item.outcome}")
    if not item.reason:
        return outcome + "."
    reason = _clip(item.reason, REASON_CHARS)
    return texts.t(locale, "report.note.with_reason", outcome=outcome, reason=reason)


def _item_line(locale: str, item: NoteItem) -> str:
    return texts.t(
        locale,
        "report.note.cosigned" if item.cosigned else "report.note.own",
        id=item.comment_id,
        article=item.article or texts.t(locale, "report.note.whole_draft"),
        body=_clip(item.body, BODY_CHARS),
        result=_result(locale, item),
    )


def compose_note(publication: Publication, recipient: NoteRecipient) -> Reply:
    """The note's text and buttons, never longer than NOTE_LIMIT characters."""
    locale = recipient.locale
    agency = publication.agency_name
    if locale == "en" and publication.agency_name_en:
        agency = publication.agency_name_en
    title = _clip(publication.title, TITLE_CHARS)
    parts = [texts.t(locale, "report.note.title", agency=agency, round=title)]
    size, shown = len(parts[0]), 0
    for item in recipient.items:
        line = _item_line(locale, item)
        if size + 2 + len(line) + _MORE_RESERVE > NOTE_LIMIT:
            break
        parts.append(line)
        size, shown = size + 2 + len(line), shown + 1
    if recipient.total > shown:
        parts.append(texts.t(locale, "report.note.more", count=recipient.total - shown))
    buttons = (
        (
            Button(texts.t(locale, "report.note.mine_button"), actions.make("mine")),
            Button(texts.t(locale, "button.menu"), actions.make("menu")),
        ),
    )
    return Reply("\n\n".join(parts), buttons)


async def publish_outcomes(
    uow: UnitOfWork, round_id: int, actor: str, *, missing_ok: int = 0
) -> PublishResult:
    """Publish a closed round's outcomes and queue a personal note to each person reachable.

    All in the caller's transaction: commit, then wake the dispatcher. Calling
    it again for a reported round queues only notes not queued before.
    """
    publication = await reports.publish(uow, round_id, actor=actor, missing_ok=missing_ok)
    recipients = queued = 0
    async for batch in reports.note_recipients(uow, round_id, per_note=MAX_ITEMS):
        for recipient in batch:
            recipients += 1
            message = await outbox.enqueue(
                uow,
                channel=recipient.channel,
                recipient=recipient.address,
                payload=compose_note(publication, recipient).to_payload(),
                dedupe_key=note_key(round_id, recipient.participant_id),
                participant_id=recipient.participant_id,
            )
            queued += message is not None
    return PublishResult(round_id, publication.first_time, publication.missing, recipients, queued)
