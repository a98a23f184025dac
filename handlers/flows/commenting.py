"""Writing a comment: text -> stance -> (near-duplicate offer) -> confirmation -> stored."""

from __future__ import annotations

from typing import Any

from consultations import comments, participants, sections
from consultations.errors import InvalidInput, InvalidState
from consultations.text import normalize_line, redact_pii
from consultations.views import RoundView
from consultations.vocab import Moderation, RespondentKind, RoundStatus, Stance
from handlers import actions
from handlers.flows.context import Conversation
from handlers.flows.menu import show_menu
from handlers.flows.reading import public_round
from handlers.messages import Button

STANCES = (Stance.SUPPORT, Stance.OPPOSE, Stance.SUGGEST, Stance.OTHER)


def _cancel_row(conv: Conversation) -> list[Button]:
    return [conv.button("button.cancel", "cancel")]


async def start(
    conv: Conversation, round_id: int, section_id: int | None, item: RoundView | None = None
) -> None:
    """Begin a comment on a round or one of its articles (keeping text typed before).

    `item` is the round when the caller has just read it (no second read).
    """
    conv.me()
    item = item if item is not None and item.id == round_id else await public_round(conv, round_id)
    if item.status != RoundStatus.OPEN:
        raise InvalidState("round.not_open")
    label = ""
    if section_id is not None:
        article = await sections.get_article(conv.uow, round_id, section_id)
        label = article.label
        heading = f" ({article.heading})" if article.heading else ""
    pending = conv.dialog.data.get("text")
    attachments = conv.dialog.data.get("attachments", [])
    conv.goto("compose_text", round_id=round_id, section_id=section_id, attachments=attachments)
    if isinstance(pending, str) and pending:
        await take_text(conv, pending)
        return
    if section_id is None:
        prompt = conv.text("compose.ask_text.round", title=item.title)
    else:
        prompt = conv.text(
            "compose.ask_text.article", label=label, heading=heading, title=item.title
        )
    conv.say(prompt, [_cancel_row(conv)])


async def pick_round(conv: Conversation, text: str | None = None) -> None:
    """'góp ý' with no round in context: choose one (or go straight in when only one is open)."""
    conv.me()
    open_rounds = await conv.open_rounds()
    context_round = conv.dialog.data.get("round_id")
    if text is not None:
        conv.dialog.data["text"] = text
    in_context = next((r for r in open_rounds if r.id == context_round), None)
    if in_context is not None:
        section = conv.dialog.data.get("section_id")
        await start(conv, in_context.id, section if isinstance(section, int) else None, in_context)
        return
    if len(open_rounds) == 1:
        await start(conv, open_rounds[0].id, None, open_rounds[0])
        return
    if not open_rounds:
        show_menu(conv, conv.text("rounds.none"))
        return
    conv.goto("compose_pick_round", **({"text": text} if text else {}))
    rows = [[Button(r.title[:60], actions.make("c", r.id))] for r in open_rounds]
    conv.say(conv.text("compose.pick_round"), [*rows, _cancel_row(conv)])


async def capture(conv: Conversation, text: str) -> None:
    """Free text that is no command: a comment typed straight away is kept, not lost."""
    conv.say(conv.text("compose.captured"))
    await pick_round(conv, text)


async def take_text(conv: Conversation, text: str) -> None:
    body = comments.clean_body(text)
    conv.dialog.step = "compose_stance"
    conv.dialog.data["text"] = body
    buttons = [conv.button(f"stance.{s.value}", actions.make("st", s.value)) for s in STANCES]
    conv.say(conv.text("compose.ask_stance"), [buttons[:2], buttons[2:], _cancel_row(conv)])


async def take_stance(conv: Conversation, stance: str) -> None:
    data = conv.dialog.data
    data["stance"] = stance
    duplicate = await comments.find_near_duplicate(
        conv.uow, int(data["round_id"]), str(data["text"]), exclude_participant=conv.me().id
    )
    if duplicate is None:
        await confirm(conv)
        return
    conv.dialog.step = "dup_offer"
    data["dup_id"] = duplicate.comment_id
    conv.say(
        conv.text(
            "compose.duplicate", count=duplicate.cosign_count, body=redact_pii(duplicate.body)
        ),
        [
            [
                conv.button("compose.cosign", actions.make("cs", duplicate.comment_id)),
                conv.button("compose.own", "own"),
            ],
            _cancel_row(conv),
        ],
    )


async def confirm(conv: Conversation) -> None:
    """Show the comment back before it is sent: what, where, which stance, as whom."""
    me, data = conv.me(), conv.dialog.data
    conv.dialog.step = "compose_confirm"
    item = await public_round(conv, int(data["round_id"]))
    target = conv.text("compose.target.round")
    if data.get("section_id") is not None:
        target = (await sections.get_article(conv.uow, item.id, int(data["section_id"]))).label
    respondent = conv.text(f"respondent.{me.kind}", organisation=me.organisation or "")
    kind_button = (
        conv.button("compose.as_citizen", "kind:citizen")
        if me.kind == RespondentKind.BUSINESS
        else conv.button("compose.as_business", "kind:business")
    )
    conv.say(
        conv.text(
            "compose.confirm",
            title=item.title,
            target=target,
            stance=conv.text(f"stance.{data['stance']}"),
            respondent=respondent,
            text=data["text"],
        ),
        [
            [conv.button("compose.send", "send"), conv.button("compose.edit", "edit")],
            [kind_button],
            _cancel_row(conv),
        ],
    )


async def send(conv: Conversation) -> None:
    me, data = conv.me(), conv.dialog.data
    saved = await comments.submit(
        conv.uow,
        participant_id=me.id,
        round_id=int(data["round_id"]),
        section_id=_opt_int(data.get("section_id")),
        stance=str(data["stance"]),
        text=str(data["text"]),
        channel=conv.inbound.channel,
        attachments=list(data.get("attachments") or []),
        author=me,
    )
    key = "compose.held" if saved.moderation == Moderation.PENDING else "compose.done"
    conv.goto("reading", round_id=saved.round_id)
    conv.say(
        conv.text(key, id=saved.id),
        [
            [
                conv.button("round.read", actions.make("r", saved.round_id)),
                conv.button("button.menu", "menu"),
            ]
        ],
    )


async def cosign(conv: Conversation, comment_id: int) -> None:
    count = await comments.cosign(conv.uow, participant_id=conv.me().id, comment_id=comment_id)
    round_id = conv.dialog.data.get("round_id")
    conv.goto("reading", round_id=round_id)
    conv.say(conv.text("compose.cosigned", count=count), [[conv.button("button.menu", "menu")]])


async def choose_kind(conv: Conversation, kind: str) -> None:
    me = conv.me()
    if kind == RespondentKind.BUSINESS:
        conv.dialog.step = "compose_org"
        conv.say(conv.text("compose.ask_org"), [_cancel_row(conv)])
        return
    await participants.set_respondent(conv.uow, me.id, RespondentKind.CITIZEN)
    conv.participant = await participants.get(conv.uow, me.id)
    await confirm(conv)


async def take_organisation(conv: Conversation, text: str) -> None:
    name = normalize_line(text)
    if not name or len(name) > 300:
        conv.say(conv.text("compose.org_invalid"), [_cancel_row(conv)])
        return
    me = conv.me()
    await participants.set_respondent(conv.uow, me.id, RespondentKind.BUSINESS, name)
    conv.participant = await participants.get(conv.uow, me.id)
    await confirm(conv)


def edit(conv: Conversation) -> None:
    conv.dialog.step = "compose_text"
    conv.dialog.data.pop("text", None)
    conv.say(conv.text("compose.edit_prompt"), [_cancel_row(conv)])


def add_attachments(
    conv: Conversation, items: list[dict[str, Any]], *, announce: bool = True
) -> None:
    """Photos and files wait in the dialog and go out with the next comment (10 at most)."""
    conv.me()
    kept = list(conv.dialog.data.get("attachments") or [])
    conv.dialog.data["attachments"] = (kept + items)[:10]
    if announce:
        conv.say(conv.text("attachment.kept"))


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    raise InvalidInput("comment.bad_target")
