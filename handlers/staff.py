"""Agency staff working from a chat: link, answer questions, record outcomes, list the queue.

Channel-neutral like the citizen flows: a bridge turns a platform message into
a `StaffMessage`; `handle_staff` says None when the message is not staff work,
so the bridge can hand it to the citizen flow (private chat) or drop it (group).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from consultations import events, outbox, outcomes, staff_links
from consultations.errors import DomainError
from consultations.text import fold, redact_pii
from consultations.vocab import Outcome as CommentOutcome
from consultations.vocab import StaffRole
from handlers import notify, texts
from handlers.dispatch import Outcome, reply_key
from handlers.messages import Reply
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

# Vietnamese names first, English ones too; Telegram allows only [a-z0-9_] in commands.
COMMANDS = {
    "/lienket": "link",
    "/link": "link",
    "/traloi": "answer",
    "/answer": "answer",
    "/ketqua": "outcome",
    "/outcome": "outcome",
    "/cauhoi": "questions",
    "/questions": "questions",
    "/trogiup": "help",
    "/help": "help",
    "/staff": "help",
}
OUTCOME_WORDS = {
    "tiep_thu": CommentOutcome.ACCEPTED,
    "accepted": CommentOutcome.ACCEPTED,
    "accept": CommentOutcome.ACCEPTED,
    "mot_phan": CommentOutcome.PARTLY_ACCEPTED,
    "tiep_thu_mot_phan": CommentOutcome.PARTLY_ACCEPTED,
    "partly": CommentOutcome.PARTLY_ACCEPTED,
    "partly_accepted": CommentOutcome.PARTLY_ACCEPTED,
    "giai_trinh": CommentOutcome.EXPLAINED,
    "explained": CommentOutcome.EXPLAINED,
    "explain": CommentOutcome.EXPLAINED,
}
# What outsiders may send without being refused: linking is how staff get in.
OPEN_TO_ALL = {"link"}
# What is silently not ours when an outsider sends it (their own /help, a reply to us).
QUIET_FOR_OUTSIDERS = {"help", "reply"}
MAX_ANSWER_CHARS = 3000  # the relayed message must fit one Telegram message (4096)
QUESTIONS_SHOWN = 15
_COMMAND = re.compile(r"(/\S+)\s*(.*)", re.DOTALL)
_ANSWER_ARGS = re.compile(r"#?Q?(\d{1,9})\s+(\S.*)", re.DOTALL | re.IGNORECASE)
_OUTCOME_ARGS = re.compile(r"#?(\d{1,9})\s+(\S+)\s*(.*)", re.DOTALL)


@dataclass(frozen=True)
class StaffMessage:
    """A message that may be staff work, as a bridge saw it.

    `reply_to_text` is the text of our bot's message being replied to (the bridge
    fills it only when that message came from the bot); `chat_ref` is where
    replies go, `sender_ref` who sent it (the same in a private chat).
    """

    channel: str
    event_id: str
    sender_ref: str
    chat_ref: str
    is_group: bool
    text: str
    reply_to_text: str | None = None
    locale_hint: str | None = None


@dataclass(frozen=True)
class _Command:
    name: str
    args: str


@dataclass(frozen=True)
class _Actor:
    """Who acts: a linked staff member, or a linked group (staff_id None) for its agency."""

    staff_id: int | None
    agency_id: int | None  # None: an admin, for every agency
    audit_name: str


@dataclass(frozen=True)
class _Context:
    uow: UnitOfWork
    msg: StaffMessage
    actor: _Actor | None
    locale: str

    def text(self, key: str, **params: object) -> str:
        return texts.t(self.locale, key, **params)


def parse(msg: StaffMessage) -> _Command | None:
    """The staff command in a message, with or without the bot's @username; None if none."""
    text = msg.text.strip()
    command = _COMMAND.fullmatch(text)
    if command is not None:
        name = COMMANDS.get(command.group(1).split("@", 1)[0].lower())
        return _Command(name, command.group(2).strip()) if name else None
    if msg.reply_to_text and text:
        question_id = notify.question_marked(msg.reply_to_text)
        if question_id is not None:
            return _Command("reply", f"{question_id} {text}")
    return None


async def handle_staff(uow: UnitOfWork, msg: StaffMessage) -> Outcome | None:
    """Handle staff work inside the caller's unit of work; None when it is not staff work.

    The event is recorded only once we know it is ours, so a message handed on to
    the citizen flow is still new there; a redelivered staff event does nothing.
    """
    command = parse(msg)
    if command is None:
        return None
    actor = await _actor(uow, msg)
    if actor is None and command.name in QUIET_FOR_OUTSIDERS:
        return None
    locale = texts.locale_of(msg.locale_hint)
    if not await events.record(uow, msg.channel, msg.event_id):
        return Outcome(duplicate=True, locale=locale)
    ctx = _Context(uow, msg, actor, locale)
    if actor is None and command.name not in OPEN_TO_ALL:
        text = ctx.text("staff.refused_group" if msg.is_group else "staff.refused")
    else:
        text = await _run(ctx, command)
    replies = [Reply(text)]
    return Outcome(False, locale, replies, await _enqueue(ctx, replies))


async def _actor(uow: UnitOfWork, msg: StaffMessage) -> _Actor | None:
    """In a private chat, the linked staff member; in a group, the group's agency.

    A group must itself be linked, so a staff member's agency work never shows up
    in a chat whose members the agency did not choose.
    """
    staff = await staff_links.staff_for(uow, msg.channel, msg.sender_ref)
    scope = None
    if staff is not None and staff.role != StaffRole.ADMIN:
        scope = staff.agency_id
        if scope is None:  # agency staff without an agency: nothing they may touch
            staff = None
    if not msg.is_group:
        return _Actor(staff.id, scope, f"staff:{staff.id}") if staff else None
    agency_id = await staff_links.agency_for_chat(uow, msg.channel, msg.chat_ref)
    if agency_id is None:
        return None
    if staff is not None and scope in (None, agency_id):
        return _Actor(staff.id, agency_id, f"staff:{staff.id}")
    return _Actor(None, agency_id, f"chat:{msg.channel}:{msg.chat_ref}"[:100])


async def _run(ctx: _Context, command: _Command) -> str:
    """Run a command in a savepoint: a domain 'no' undoes it but keeps the event record."""
    try:
        async with ctx.uow.session.begin_nested():
            return await _HANDLERS[command.name](ctx, command.args)
    except DomainError as error:
        key = f"staff.error.{error.key}"
        if not texts.has(key):
            log.warning("staff domain error without text: %s", error.key)
            key = "staff.error.generic"
        return ctx.text(key, **error.params)


async def _link(ctx: _Context, args: str) -> str:
    if not args:
        return ctx.text("staff.link.usage")
    msg = ctx.msg
    result = await staff_links.redeem(
        ctx.uow,
        args,
        channel=msg.channel,
        sender_ref=msg.sender_ref,
        chat_ref=msg.chat_ref,
        is_group=msg.is_group,
    )
    if not result.linked:
        return ctx.text("staff.link.voided")
    if result.kind == "agency":
        return ctx.text("staff.link.agency_done", agency=result.name)
    return ctx.text("staff.link.staff_done", name=result.name)


async def _answer(ctx: _Context, args: str) -> str:
    """`/answer 12 text` or a reply to the notification of question 12: record and relay."""
    found = _ANSWER_ARGS.fullmatch(args)
    if found is None:
        return ctx.text("staff.answer.usage")
    question_id, text = int(found.group(1)), found.group(2).strip()
    if len(text) > MAX_ANSWER_CHARS:
        return ctx.text("staff.error.answer.too_long", limit=MAX_ANSWER_CHARS)
    assert ctx.actor is not None
    await outcomes.answer_question(
        ctx.uow,
        question_id,
        text,
        agency_id=ctx.actor.agency_id,
        staff_id=ctx.actor.staff_id,
        actor=ctx.actor.audit_name,
    )
    delivered = await notify.relay_answer(ctx.uow, question_id)
    return ctx.text(
        "staff.answer.sent" if delivered else "staff.answer.undelivered", id=question_id
    )


async def _outcome(ctx: _Context, args: str) -> str:
    found = _OUTCOME_ARGS.fullmatch(args)
    outcome = OUTCOME_WORDS.get(fold(found.group(2)).replace("-", "_")) if found else None
    if found is None or outcome is None:
        return ctx.text("staff.outcome.usage")
    assert ctx.actor is not None
    comment = await outcomes.set_outcome(
        ctx.uow,
        int(found.group(1)),
        outcome,
        found.group(3),
        agency_id=ctx.actor.agency_id,
        actor=ctx.actor.audit_name,
        staff_id=ctx.actor.staff_id,
    )
    label = ctx.text(f"staff.outcome.{outcome}")
    return ctx.text("staff.outcome.done", id=comment.id, outcome=label)


async def _questions(ctx: _Context, _args: str) -> str:
    """The agency's open questions, soonest due first, with redacted text to stay short."""
    assert ctx.actor is not None
    items = await outcomes.open_questions(ctx.uow, ctx.actor.agency_id, limit=QUESTIONS_SHOWN + 1)
    if not items:
        return ctx.text("staff.questions.none")
    now = ctx.uow.now()
    lines = [ctx.text("staff.questions.title", count=min(len(items), QUESTIONS_SHOWN))]
    for item in items[:QUESTIONS_SHOWN]:
        lines.append(
            ctx.text(
                "staff.questions.item",
                id=item.id,
                due=notify.format_date(item.due_at),
                overdue=ctx.text("staff.questions.overdue") if item.due_at < now else "",
                round=item.round_title or ctx.text("staff.questions.general"),
                question=notify.clip(redact_pii(item.body), 160),
            )
        )
    if len(items) > QUESTIONS_SHOWN:
        lines.append(ctx.text("staff.questions.more"))
    lines.append(ctx.text("staff.questions.hint"))
    return "\n".join(lines)


async def _help(ctx: _Context, _args: str) -> str:
    return ctx.text("staff.help")


_HANDLERS: dict[str, Callable[[_Context, str], Awaitable[str]]] = {
    "link": _link,
    "answer": _answer,
    "reply": _answer,
    "outcome": _outcome,
    "questions": _questions,
    "help": _help,
}


async def _enqueue(ctx: _Context, replies: list[Reply]) -> list[int]:
    """Replies go to the chat the command came from (the group, or the private chat)."""
    ids = []
    for index, reply in enumerate(replies):
        message = await outbox.enqueue(
            ctx.uow,
            channel=ctx.msg.channel,
            recipient=ctx.msg.chat_ref,
            payload=reply.to_payload(),
            dedupe_key=reply_key(ctx.msg.channel, ctx.msg.event_id, index),
        )
        if message is not None:
            ids.append(message.id)
    return ids
