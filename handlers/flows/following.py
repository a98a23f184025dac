"""Following rounds: the click is also the consent to be notified (its own purpose)."""

from __future__ import annotations

from consultations import participants, subscriptions
from consultations.vocab import FollowTarget, Purpose
from handlers import actions
from handlers.flows.context import Conversation
from handlers.flows.reading import public_round


async def show(conv: Conversation) -> None:
    me = conv.me()
    following = await subscriptions.is_following(conv.uow, me.id, FollowTarget.ALL, 0)
    button = (
        conv.button("follow.all_off", actions.make("uf", "all", 0))
        if following
        else conv.button("follow.all", actions.make("f", "all", 0))
    )
    conv.say(conv.text("follow.title"), [[button], [conv.button("button.menu", "menu")]])


async def follow(conv: Conversation, target: str, target_id: int) -> None:
    me = conv.me()
    if target == FollowTarget.ROUND:
        await public_round(conv, target_id)
    await participants.grant_consent(
        conv.uow, me.channel, conv.inbound.user_ref, Purpose.NOTIFY, locale=me.locale
    )
    added = await subscriptions.follow(conv.uow, me.id, target, target_id)
    conv.say(
        conv.text("follow.on" if added else "follow.already"),
        [[conv.button("button.menu", "menu")]],
    )


async def unfollow(conv: Conversation, target: str, target_id: int) -> None:
    me = conv.me()
    await subscriptions.unfollow(conv.uow, me.id, target, target_id)
    conv.say(conv.text("follow.off"), [[conv.button("button.menu", "menu")]])
