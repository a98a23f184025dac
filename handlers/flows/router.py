"""Route one inbound event to the flow step it means: buttons, typed words, or content."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from consultations.vocab import MAX_TEXT_LENGTH
from handlers import actions
from handlers.actions import Action
from handlers.flows import asking, commenting, following, mine, privacy, reading, words
from handlers.flows.context import Conversation
from handlers.flows.menu import on_consent, on_language, show_consent, show_help, show_menu
from handlers.text_input import clean_input

Step = Callable[[Conversation, Action], Awaitable[None]]

# Actions that only make sense at one step; elsewhere they are stale or forged.
STEP_ACTIONS = {
    "st": ("compose_stance",),
    "send": ("compose_confirm",),
    "edit": ("compose_confirm",),
    "kind": ("compose_confirm",),
    "cs": ("dup_offer",),
    "own": ("dup_offer",),
}


async def _start(conv: Conversation, _: Action) -> None:
    if conv.participant is None:
        show_consent(conv)
    else:
        show_menu(conv)


async def _menu(conv: Conversation, _: Action) -> None:
    show_menu(conv)


async def _cancel(conv: Conversation, _: Action) -> None:
    show_menu(conv, conv.text("compose.cancelled") if conv.dialog.step != "menu" else None)


async def _cosign(conv: Conversation, action: Action) -> None:
    if conv.dialog.data.get("dup_id") != action.int_arg(0):
        _stale(conv)
        return
    await commenting.cosign(conv, action.int_arg(0))


async def _forget(conv: Conversation, action: Action) -> None:
    if action.args[0] == "ask":
        privacy.ask_forget(conv)
    elif conv.dialog.step == "forget_confirm":
        await privacy.forget(conv)
    else:
        _stale(conv)


async def _lang(conv: Conversation, action: Action) -> None:
    chosen = action.args[0] if action.args else None
    await on_language(conv, chosen or ("en" if conv.locale == "vi" else "vi"))


def _stale(conv: Conversation) -> None:
    show_menu(conv, conv.text("unknown.action"))


def _simple(step: Callable[[Conversation], Any]) -> Step:
    async def run(conv: Conversation, _: Action) -> None:
        result = step(conv)
        if isinstance(result, Awaitable):
            await result

    return run


ACTIONS: dict[str, Step] = {
    "start": _start,
    "menu": _menu,
    "cancel": _cancel,
    "consent": lambda conv, a: on_consent(conv, a.args[0] == "yes"),
    "rounds": _simple(reading.show_rounds),
    "r": lambda conv, a: reading.show_round(conv, a.int_arg(0)),
    "rd": lambda conv, a: reading.show_article(conv, a.int_arg(0), a.int_arg(1), a.int_arg(2)),
    "c": lambda conv, a: commenting.start(
        conv, a.int_arg(0), a.int_arg(1) if a.args[1] is not None else None
    ),
    "comment": _simple(commenting.pick_round),
    "st": lambda conv, a: commenting.take_stance(conv, str(a.args[0])),
    "send": _simple(commenting.send),
    "edit": _simple(commenting.edit),
    "kind": lambda conv, a: commenting.choose_kind(conv, str(a.args[0])),
    "cs": _cosign,
    "own": _simple(commenting.confirm),
    "ask": _simple(asking.pick_round),
    "q": lambda conv, a: asking.start(conv, a.int_arg(0)),
    "mine": _simple(mine.show),
    "follow": _simple(following.show),
    "f": lambda conv, a: following.follow(conv, str(a.args[0]), a.int_arg(1)),
    "uf": lambda conv, a: following.unfollow(conv, str(a.args[0]), a.int_arg(1)),
    "lang": _lang,
    "privacy": _simple(privacy.show),
    "export": _simple(privacy.export),
    "forget": _forget,
    "help": _simple(show_help),
    "rate": lambda conv, a: asking.rate(conv, str(a.args[0]), a.int_arg(1), a.int_arg(2)),
}

# Steps that wait for free text, and what they do with it.
TEXT_STEPS: dict[str, Callable[[Conversation, str], Awaitable[None]]] = {
    "compose_text": commenting.take_text,
    "compose_org": commenting.take_organisation,
    "ask_text": asking.take_text,
}


async def route(conv: Conversation) -> None:
    inbound = conv.inbound
    if inbound.attachments:
        commenting.add_attachments(
            conv,
            [{"kind": a.kind, "ref": a.ref, "name": a.name} for a in inbound.attachments],
            announce=not (inbound.text and inbound.text.strip()),
        )
    if inbound.action is not None:
        await on_action(conv, inbound.action)
    elif inbound.text is not None and inbound.text.strip():
        await on_text(conv, inbound.text)
    elif inbound.unsupported:
        kind = conv.text(f"media.{inbound.unsupported}")
        conv.say(conv.text("unsupported.media", kind=kind), [[conv.button("button.menu", "menu")]])
    elif not inbound.attachments:
        conv.say(conv.text("error.empty"))


async def on_action(conv: Conversation, raw: str) -> None:
    action = actions.parse(raw)
    allowed = STEP_ACTIONS.get(action.name) if action else None
    if action is None or (allowed is not None and conv.dialog.step not in allowed):
        _stale(conv)
        return
    await ACTIONS[action.name](conv, action)


async def on_text(conv: Conversation, raw: str) -> None:
    text = clean_input(raw)
    if text is None:
        conv.say(conv.text("error.empty"))
        return
    if len(text) > MAX_TEXT_LENGTH:
        conv.say(conv.text("error.too_long", limit=MAX_TEXT_LENGTH))
        return
    step = conv.dialog.step
    if conv.participant is None and words.is_consent(text):
        await on_consent(conv, True)
        return
    command = words.match_step(step, text) or words.match_global(text, at_menu=step == "menu")
    if command in ("next", "prev"):
        await reading.step_article(conv, 1 if command == "next" else -1)
    elif command is not None and (step not in TEXT_STEPS or command == "cancel"):
        await on_action(conv, command)
    elif step in TEXT_STEPS and conv.participant is not None:
        await TEXT_STEPS[step](conv, text)
    elif (number := words.match_article(text)) is not None:
        await reading.jump_to_article(conv, number)
    elif conv.participant is None:
        show_consent(conv)  # a greeting or a comment before consent: nothing is stored
    elif words.looks_like_content(text):
        await commenting.capture(conv, text)
    else:
        show_menu(conv, conv.text("unknown.text"))
