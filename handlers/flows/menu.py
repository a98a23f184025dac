"""The main menu, help and the consent prompt: the places every path returns to."""

from __future__ import annotations

from consultations import participants
from consultations.vocab import Purpose
from handlers import actions
from handlers.flows.context import Conversation
from handlers.messages import Button


def menu_buttons(conv: Conversation) -> list[list[Button]]:
    other = "en" if conv.locale == "vi" else "vi"
    items = [
        ("menu.rounds", "rounds"),
        ("menu.comment", "comment"),
        ("menu.ask", "ask"),
        ("menu.mine", "mine"),
        ("menu.follow", "follow"),
        ("menu.language", actions.make("lang", other)),
        ("menu.privacy", "privacy"),
        ("menu.help", "help"),
    ]
    buttons = [conv.button(key, action) for key, action in items]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def show_menu(conv: Conversation, intro: str | None = None) -> None:
    """Back to the menu, forgetting any half-finished step."""
    if conv.participant is None:
        show_consent(conv, intro)
        return
    conv.goto("menu")
    text = conv.text("menu.title")
    conv.say(f"{intro}\n\n{text}" if intro else text, menu_buttons(conv))


def show_consent(conv: Conversation, intro: str | None = None) -> None:
    """The bilingual consent prompt: the only thing shown before consent."""
    prompt = conv.text("consent.prompt", province=conv.settings.province)
    buttons = [
        [conv.button("consent.agree", "consent:yes")],
        [conv.button("consent.decline", "consent:no"), conv.button("menu.rounds", "rounds")],
    ]
    conv.say(f"{intro}\n\n{prompt}" if intro else prompt, buttons)


async def on_consent(conv: Conversation, agree: bool) -> None:
    """Record consent (once; a second click changes nothing) or explain what a refusal means."""
    if not agree:
        if conv.participant is None:
            conv.say(conv.text("consent.declined"), [[conv.button("menu.rounds", "rounds")]])
        else:
            show_menu(conv)
        return
    if conv.participant is not None and conv.participant.consented:
        show_menu(conv)
        return
    conv.participant = await participants.grant_consent(
        conv.uow,
        conv.inbound.channel,
        conv.inbound.user_ref,
        Purpose.PARTICIPATE,
        locale=conv.locale,
    )
    show_menu(conv, conv.text("consent.thanks"))


def show_help(conv: Conversation) -> None:
    conv.say(conv.text("help.text"), [[conv.button("button.menu", "menu")]])


async def on_language(conv: Conversation, locale: str) -> None:
    me = conv.me()
    await participants.set_locale(conv.uow, me.id, locale)
    conv.set_locale(locale)
    show_menu(conv, conv.text("language.set"))
