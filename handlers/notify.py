"""Messages to people other than the sender: new questions to the agency, answers to the asker.

Both are outbox rows committed with the change that causes them, with dedupe
keys derived from the question id, so a retried use case never announces or
relays the same thing twice.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from consultations import outbox, outcomes, staff_links
from consultations.staff_links import Destination
from consultations.text import redact_pii
from handlers import actions, texts
from handlers.messages import Button, Reply
from storage.uow import UnitOfWork

TZ_NAME = "Asia/Ho_Chi_Minh"
# Notifications go to groups as well as to people, so they use the agency's language.
NOTIFY_LOCALE = "vi"
QUOTE_CHARS = 300  # of the question, quoted back to the asker above the answer
NOTIFY_CHARS = 1500  # of the question, in the agency's notification
_MARKER = re.compile(r"#Q(\d{1,9})\b")


def marker(question_id: int) -> str:
    return f"#Q{question_id}"


def question_marked(text: str) -> int | None:
    """The question a notification is about, read from its first line only.

    The citizen's question is quoted further down, so a "#Q5" typed into it
    cannot redirect a staff member's reply to another question.
    """
    first_line = text.strip().split("\n", 1)[0]
    found = _MARKER.search(first_line)
    return int(found.group(1)) if found else None


def format_date(when: datetime, tz_name: str = TZ_NAME) -> str:
    return when.astimezone(ZoneInfo(tz_name)).strftime("%d/%m/%Y")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def question_asked(uow: UnitOfWork, question_id: int, *, tz_name: str = TZ_NAME) -> list[int]:
    """Tell every chat of the question's agency (its groups, its linked staff) about it.

    The question is redacted of phone numbers, ID numbers and e-mails: staff need
    its content, not the asker's contact details, and groups may be large.
    """
    brief = await outcomes.question_brief(uow, question_id)
    text = texts.t(
        NOTIFY_LOCALE,
        "staff.notify.question",
        id=brief.id,
        due=format_date(brief.due_at, tz_name),
        round=brief.round_title or texts.t(NOTIFY_LOCALE, "staff.questions.general"),
        question=clip(redact_pii(brief.body), NOTIFY_CHARS),
    )
    payload = Reply(text).to_payload()
    ids = []
    for destination in await staff_links.destinations(uow, brief.agency_id):
        message = await outbox.enqueue(
            uow,
            channel=destination.channel,
            recipient=destination.address,
            payload=payload,
            dedupe_key=_notify_key(question_id, destination),
        )
        if message is not None:
            ids.append(message.id)
    return ids


def _notify_key(question_id: int, destination: Destination) -> str:
    return f"notify:question:{question_id}:{destination.channel}:{destination.address}"[:200]


async def relay_answer(uow: UnitOfWork, question_id: int) -> bool:
    """Send the answer to the asker, then ask them to rate it; False when nobody can receive it.

    The asker reads it in their own language, on the channel they asked from,
    with their question quoted so they know which one it answers.
    """
    recipient = await outcomes.answer_recipient(uow, question_id)
    if recipient is None:
        return False
    brief = await outcomes.question_brief(uow, question_id)
    locale = recipient.locale
    agency = brief.agency_name_en if locale == "en" and brief.agency_name_en else brief.agency_name
    answer = texts.t(
        locale,
        "answer.relay",
        agency=agency,
        id=brief.id,
        question=clip(brief.body, QUOTE_CHARS),
        answer=brief.answer or "",
    )
    scores = tuple(
        Button(
            texts.t(locale, "rate.button", n=n),
            actions.make("rate", "question", brief.id, n),
        )
        for n in range(1, 6)
    )
    rating = Reply(texts.t(locale, "rate.prompt"), (scores,))
    for part, reply in (("answer", Reply(answer)), ("rate", rating)):
        await outbox.enqueue(
            uow,
            channel=recipient.channel,
            recipient=recipient.address,
            payload=reply.to_payload(),
            dedupe_key=f"answer:question:{question_id}:{part}",
            participant_id=recipient.participant_id,
        )
    return True
