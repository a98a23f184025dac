"""Following rounds: the click is also the consent to be notified (its own purpose)."""

from __future__ import annotations

from consultations import agencies, participants, subscriptions
from consultations.vocab import FollowTarget, Purpose
from handlers import actions
from handlers.flows.context import Conversation
from handlers.flows.reading import public_round
from handlers.messages import Button


async def show(conv: Conversation) -> None:
    """Follow all new drafts, or the agencies whose drafts are open now."""
    conv.me()
    rows = [[await _toggle(conv, FollowTarget.ALL, 0, "follow.all", "follow.all_off")]]
    open_rounds = await conv.open_rounds()
    for agency_id, name in {r.agency_id: r.agency_name for r in open_rounds}.items():
        rows.append(
            [
                await _toggle(
                    conv,
                    FollowTarget.AGENCY,
                    agency_id,
                    "follow.agency",
                    "follow.agency_off",
                    name=name[:50],
                )
            ]
        )
    rows.append([conv.button("button.menu", "menu")])
    conv.say(conv.text("follow.title"), rows)


async def _toggle(
    conv: Conversation, target: str, target_id: int, on_key: str, off_key: str, **params: str
) -> Button:
    following = await subscriptions.is_following(conv.uow, conv.me().id, target, target_id)
    if following:
        return conv.button(off_key, actions.make("uf", target, target_id), **params)
    return conv.button(on_key, actions.make("f", target, target_id), **params)


async def follow(conv: Conversation, target: str, target_id: int) -> None:
    me = conv.me()
    if target == FollowTarget.ROUND:
        await public_round(conv, target_id)
    elif target == FollowTarget.AGENCY:
        await agencies.get_agency(conv.uow, target_id)
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
