"""Near-duplicate groups of a round's comments, for acting on a campaign's copies at once.

The same rule as the synthesis report (consultations.reports.grouping): comments
in the order they arrived; one joins the earlier group whose representative (its
earliest comment) it is most similar to, when that similarity reaches the
near-duplicate threshold; candidates are only comments sharing a MinHash band key
(comment_bands), and each key keeps a bounded number of representatives, so the
pass is linear in the round's size. Unlike the report, which folds only visible
comments that agree on article, stance and outcome, moderation needs every copy,
whatever its status, so a held campaign can be released or hidden in one step.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import func, select

from consultations.errors import NotFound
from consultations.reports.streaming import stream_rows
from consultations.text import NEAR_DUPLICATE_THRESHOLD, similarity
from storage.models import Comment, CommentBand
from storage.uow import UnitOfWork

MAX_LEADERS_PER_BAND = 32
MIN_GROUP = 2


@dataclass(frozen=True)
class DuplicateGroup:
    """A representative comment and every comment (itself included) grouped with it."""

    representative: int
    members: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.members)


async def _candidates(uow: UnitOfWork, round_id: int) -> AsyncIterator[tuple[int, str, list[str]]]:
    """(id, fingerprint, band keys) of comments sharing a band key with another, oldest first."""
    keyed = (
        select(
            CommentBand.comment_id,
            CommentBand.band,
            func.count().over(partition_by=CommentBand.band).label("sharing"),
        )
        .where(CommentBand.round_id == round_id)
        .subquery()
    )
    query = (
        select(Comment.id, Comment.fingerprint, keyed.c.band)
        .join(keyed, keyed.c.comment_id == Comment.id)
        .where(keyed.c.sharing > 1)
        .order_by(Comment.created_at, Comment.id, keyed.c.band)
    )
    current: tuple[int, str, list[str]] | None = None
    async for comment_id, fp, band in stream_rows(uow, query):
        if current is not None and current[0] != comment_id:
            yield current
            current = None
        if current is None:
            current = (comment_id, fp, [])
        current[2].append(band)
    if current is not None:
        yield current


def _best(fp: str, bands: list[str], leaders: dict[str, list[tuple[int, str]]]) -> int | None:
    best: tuple[float, int] | None = None
    for band in bands:
        for leader_id, leader_fp in leaders.get(band, ()):
            score = similarity(fp, leader_fp)
            if score >= NEAR_DUPLICATE_THRESHOLD and (
                best is None or (score, -leader_id) > (best[0], -best[1])
            ):
                best = (score, leader_id)
    return None if best is None else best[1]


async def duplicate_groups(uow: UnitOfWork, round_id: int) -> list[DuplicateGroup]:
    """Groups of at least two near-identical comments, the largest first."""
    leaders: dict[str, list[tuple[int, str]]] = {}
    members: dict[int, list[int]] = {}
    async for comment_id, fp, bands in _candidates(uow, round_id):
        leader = _best(fp, bands, leaders)
        if leader is not None:
            members[leader].append(comment_id)
            continue
        members[comment_id] = [comment_id]
        for band in bands:
            bucket = leaders.setdefault(band, [])
            if len(bucket) < MAX_LEADERS_PER_BAND:
                bucket.append((comment_id, fp))
    groups = [
        DuplicateGroup(leader, tuple(sorted(ids)))
        for leader, ids in members.items() if len(ids) >= MIN_GROUP
    ]
    return sorted(groups, key=lambda g: (-g.size, g.representative))


async def group_of(uow: UnitOfWork, round_id: int, representative: int) -> DuplicateGroup:
    """The group a representative stands for, as the round's comments group today."""
    for found in await duplicate_groups(uow, round_id):
        if found.representative == representative:
            return found
    raise NotFound("duplicates.not_found")
