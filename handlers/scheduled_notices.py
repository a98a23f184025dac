"""Messages the scheduled sweeps send: round announcements to followers, a reminder to
finish a comment before a round closes, and due-question reminders to the agency.

Each queues its messages and records its job marks in the caller's transaction,
with dedupe keys naming the round or questions and the recipient, so a sweep that
runs twice, or twice at once, sends nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from consultations import outbox
from consultations.digests import announcements, marks, reminders
from consultations.digests.announcements import OPENED, Recipient, RoundEvent
from consultations.digests.content import QuestionItem
from consultations.digests.reminders import ClosingRound, DueQuestion
from consultations.staff_links import Destination
from handlers import actions
from handlers.digest_delivery import DEFAULT_LIMIT, DIGEST_LOCALE, place_key
from handlers.digest_render import TZ_NAME, question_line, when
from handlers.messages import Button, Reply
from handlers.paging import split_pages
from handlers.texts import t
from storage.uow import UnitOfWork


def _agency_name(event: RoundEvent, locale: str) -> str:
    return event.agency_name_en if locale == "en" and event.agency_name_en else event.agency_name


def announcement(event: RoundEvent, locale: str, tz_name: str = TZ_NAME) -> Reply:
    """What a follower reads when a round opens (with a button to read it) or closes."""
    params = {"title": event.title, "agency": _agency_name(event, locale)}
    if event.event != OPENED:
        return Reply(t(locale, "notice.closed", **params))
    if event.closes_at is None:
        text = t(locale, "notice.opened_no_end", **params)
    else:
        text = t(locale, "notice.opened", closes=when(event.closes_at, tz_name), **params)
    return Reply(text, ((Button(t(locale, "notice.read"), actions.make("r", event.round_id)),),))


async def announce(
    uow: UnitOfWork, event: RoundEvent, recipients: Sequence[Recipient], tz_name: str = TZ_NAME
) -> int:
    """Queue the announcement for every recipient (as a broadcast) and mark the event done.

    One multi-row INSERT rather than a round trip per follower, with the message
    rendered once per language: a round can have a six-figure audience.
    """
    payloads = {
        locale: {**announcement(event, locale, tz_name).to_payload(), "broadcast": True}
        for locale in {person.locale for person in recipients}
    }
    queued = await outbox.enqueue_rows(uow, [
        outbox.Outgoing(
            dedupe_key=f"announce:{event.event}:{event.round_id}:{person.participant_id}",
            channel=person.channel,
            recipient=person.address,
            payload=payloads[person.locale],
            participant_id=person.participant_id,
        )
        for person in recipients
    ])
    await outbox.refresh_statistics(uow)
    await announcements.mark_done(uow, [event])
    return len(queued)


async def remind_closing(
    uow: UnitOfWork, closing: ClosingRound, recipients: Sequence[Recipient], tz_name: str = TZ_NAME
) -> int:
    """Ask people part-way through a comment to finish it before the round closes."""
    queued = 0
    for person in recipients:
        text = t(
            person.locale,
            "notice.closing",
            title=closing.title,
            closes=when(closing.closes_at, tz_name),
        )
        button = Button(t(person.locale, "notice.continue"), actions.make("c", closing.id))
        row = await outbox.enqueue(
            uow,
            channel=person.channel,
            recipient=person.address,
            payload={**Reply(text, ((button,),)).to_payload(), "broadcast": True},
            dedupe_key=f"remind:closing:{closing.id}:{person.participant_id}",
            participant_id=person.participant_id,
        )
        queued += row is not None
    keys = [reminders.closing_key(closing.id, p.participant_id) for p in recipients]
    await marks.mark(uow, reminders.CLOSING_JOB, keys)
    return queued


def questions_reminder(items: Sequence[DueQuestion], locale: str, tz_name: str = TZ_NAME) -> str:
    """The agency's reminder: overdue questions first, then those due soon, each answerable."""
    lines = [t(locale, "notice.questions.title")]
    for state, key in (
        (reminders.OVERDUE, "notice.questions.overdue"),
        (reminders.SOON, "notice.questions.soon"),
    ):
        chosen = [q for q in items if q.state == state]
        if chosen:
            lines.append(t(locale, key))
            lines += [
                question_line(QuestionItem(q.id, q.text, q.due_at, q.round_title), locale, tz_name)
                for q in chosen
            ]
    return "\n".join(lines)


async def remind_questions(
    uow: UnitOfWork,
    items: Sequence[DueQuestion],
    destinations: Sequence[Destination],
    *,
    limits: Mapping[str, int],
    tz_name: str = TZ_NAME,
) -> int:
    """Queue one reminder (split if long) per destination of one agency's due questions."""
    text = questions_reminder(items, DIGEST_LOCALE, tz_name)
    batch = hashlib.sha256(",".join(sorted(q.key for q in items)).encode()).hexdigest()[:16]
    queued = 0
    for destination in destinations:
        limit = limits.get(destination.channel, DEFAULT_LIMIT)
        for part, page in enumerate(split_pages(text, limit)):
            row = await outbox.enqueue(
                uow,
                channel=destination.channel,
                recipient=destination.address,
                payload=Reply(page).to_payload(),
                dedupe_key=f"remind:questions:{batch}:{place_key(destination)}:{part}",
            )
            queued += row is not None
    await marks.mark(uow, reminders.QUESTIONS_JOB, [q.key for q in items])
    return queued
