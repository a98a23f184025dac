"""Asking the responsible agency a question, and rating its answer."""

from __future__ import annotations

from consultations import agencies, questions, ratings
from consultations.errors import NotFound
from handlers import actions, notify
from handlers.flows.context import Conversation
from handlers.flows.menu import show_menu
from handlers.flows.reading import public_round
from handlers.messages import Button


async def pick_round(conv: Conversation) -> None:
    conv.me()
    open_rounds = await conv.open_rounds()
    context_round = conv.dialog.data.get("round_id")
    if isinstance(context_round, int) and any(r.id == context_round for r in open_rounds):
        await start(conv, context_round)
    elif len(open_rounds) == 1:
        await start(conv, open_rounds[0].id)
    elif not open_rounds:
        show_menu(conv, conv.text("rounds.none"))
    else:
        rows = [[Button(r.title[:60], actions.make("q", r.id))] for r in open_rounds]
        conv.say(conv.text("ask.pick_round"), [*rows, [conv.button("button.cancel", "cancel")]])


async def start(conv: Conversation, round_id: int) -> None:
    conv.me()
    item = await public_round(conv, round_id)
    conv.goto("ask_text", round_id=round_id)
    conv.say(
        conv.text("ask.prompt", agency=item.agency_name), [[conv.button("button.cancel", "cancel")]]
    )


async def take_text(conv: Conversation, text: str) -> None:
    me = conv.me()
    asked = await questions.ask(
        conv.uow,
        participant_id=me.id,
        text=text,
        channel=conv.inbound.channel,
        round_id=int(conv.dialog.data["round_id"]),
    )
    agency = await agencies.get_agency(conv.uow, asked.agency_id)
    await notify.question_asked(conv.uow, asked.id, tz_name=conv.settings.tz.key)
    conv.goto("menu")
    conv.say(
        conv.text("ask.done", id=asked.id, agency=agency.name, due=conv.date(asked.due_at)),
        [[conv.button("menu.mine", "mine"), conv.button("button.menu", "menu")]],
    )


async def rate(conv: Conversation, target: str, target_id: int, score: int) -> None:
    """A rating from a button; a question may only be rated by the person who asked it."""
    me = conv.me()
    if target == "question":
        mine = {q.id for q in await questions.list_mine(conv.uow, me.id, limit=1000)}
        if target_id not in mine:
            raise NotFound("rating.target_not_found")
    await ratings.rate(
        conv.uow, participant_id=me.id, target=target, target_id=target_id, score=score
    )
    conv.say(conv.text("rate.thanks", score=score), [[conv.button("button.menu", "menu")]])
