"""Following new rounds, an agency, or one round."""

from __future__ import annotations

from sqlalchemy import delete, select

from consultations.errors import InvalidInput
from consultations.vocab import FollowTarget
from storage.models import Subscription
from storage.uow import UnitOfWork


def _check(target: str, target_id: int) -> None:
    if target not in set(FollowTarget):
        raise InvalidInput("follow.bad_target")
    if (target == FollowTarget.ALL) != (target_id == 0):
        raise InvalidInput("follow.bad_target")


async def follow(uow: UnitOfWork, participant_id: int, target: str, target_id: int = 0) -> bool:
    """Follow; returns False when already following (a second click changes nothing)."""
    _check(target, target_id)
    if await is_following(uow, participant_id, target, target_id):
        return False
    uow.session.add(
        Subscription(
            participant_id=participant_id, target=target, target_id=target_id, created_at=uow.now()
        )
    )
    await uow.session.flush()
    return True


async def unfollow(uow: UnitOfWork, participant_id: int, target: str, target_id: int = 0) -> bool:
    _check(target, target_id)
    result = await uow.session.execute(
        delete(Subscription).where(
            Subscription.participant_id == participant_id,
            Subscription.target == target,
            Subscription.target_id == target_id,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def is_following(uow: UnitOfWork, participant_id: int, target: str, target_id: int) -> bool:
    found = await uow.session.scalar(
        select(Subscription.id).where(
            Subscription.participant_id == participant_id,
            Subscription.target == target,
            Subscription.target_id == target_id,
        )
    )
    return found is not None
