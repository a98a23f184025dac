"""Folding near-duplicate comments of a round into one line of the synthesis table.

Campaigns send one petition hundreds of times with a new greeting or signature.
The rule, applied in the order comments arrived (earliest first):

* a comment joins an earlier group when it is a near-duplicate of that group's
  representative (consultations.text.is_near_duplicate on their SimHash
  fingerprints), on the same article, with the same stance and the same outcome
  (so the line's article, stance and outcome are true of every comment in it);
  among several such groups it joins the most similar, the earliest on a tie;
* otherwise it starts a group and is its representative.

Every member is therefore close to its representative, the earliest comment of
the group; groups never chain through a series of small changes.

Candidates come from the comment_bands index (MinHash LSH keys written when a
comment is stored): only comments sharing a band key are ever compared, and only
bands shared by two or more comments are read at all. Each band keeps at most
MAX_LEADERS_PER_BAND representatives, so a comment is compared with a bounded
number of others and the whole pass is linear in the number of comments. Memory
holds the representatives of shared bands and the sorted ids of folded comments.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from consultations.reports.streaming import stream_rows
from consultations.text import NEAR_DUPLICATE_THRESHOLD, similarity
from consultations.vocab import Moderation
from storage.models import Comment, CommentBand
from storage.uow import UnitOfWork

MAX_LEADERS_PER_BAND = 32
_BATCH = 2000

BandKey = tuple[str, int | None, str, str | None]


@dataclass
class Grouping:
    """Which comments are folded into another, and what each representative stands for."""

    folded: array[int] = field(default_factory=lambda: array("q"))
    members: dict[int, int] = field(default_factory=dict)
    member_cosigns: dict[int, int] = field(default_factory=dict)

    def is_folded(self, comment_id: int) -> bool:
        at = bisect_left(self.folded, comment_id)
        return at < len(self.folded) and self.folded[at] == comment_id

    def near_duplicates(self, comment_id: int) -> int:
        """How many later comments the representative stands for (0 for a lone comment)."""
        return self.members.get(comment_id, 0)

    def cosignatures_of_members(self, comment_id: int) -> int:
        return self.member_cosigns.get(comment_id, 0)

    @property
    def folded_count(self) -> int:
        return len(self.folded)


@dataclass(frozen=True)
class _Candidate:
    comment_id: int
    fingerprint: str
    cosigns: int
    section_id: int | None
    stance: str
    outcome: str | None
    bands: tuple[str, ...]


async def group_near_duplicates(uow: UnitOfWork, round_id: int) -> Grouping:
    """Group the visible comments of a round that share a band and are near-duplicates."""
    grouping = Grouping()
    leaders: dict[BandKey, list[tuple[int, str]]] = {}
    folded = array("q")
    async for candidate in _candidates(uow, round_id):
        best = _best_leader(candidate, leaders)
        if best is None:
            _lead(candidate, leaders)
            continue
        folded.append(candidate.comment_id)
        grouping.members[best] = grouping.members.get(best, 0) + 1
        grouping.member_cosigns[best] = grouping.member_cosigns.get(best, 0) + candidate.cosigns
    grouping.folded = array("q", sorted(folded))
    return grouping


def _keys(candidate: _Candidate) -> list[BandKey]:
    c = candidate
    return [(band, c.section_id, c.stance, c.outcome) for band in c.bands]


def _best_leader(
    candidate: _Candidate, leaders: dict[BandKey, list[tuple[int, str]]]
) -> int | None:
    best: tuple[float, int] | None = None
    for key in _keys(candidate):
        for leader_id, leader_fp in leaders.get(key, ()):
            score = similarity(candidate.fingerprint, leader_fp)
            if score < NEAR_DUPLICATE_THRESHOLD:
                continue
            if best is None or (score, -leader_id) > (best[0], -best[1]):
                best = (score, leader_id)
    return None if best is None else best[1]


def _lead(candidate: _Candidate, leaders: dict[BandKey, list[tuple[int, str]]]) -> None:
    for key in _keys(candidate):
        bucket = leaders.setdefault(key, [])
        if len(bucket) < MAX_LEADERS_PER_BAND:
            bucket.append((candidate.comment_id, candidate.fingerprint))


async def _candidates(uow: UnitOfWork, round_id: int) -> AsyncIterator[_Candidate]:
    """Visible comments with at least one shared band, earliest first, with those bands."""
    # Each band key with how many comments of the round carry it, in one pass over the
    # round's keys; a window, not "band IN (… HAVING count(*) > 1)", because that form
    # lets PostgreSQL pick a nested loop over every key pair when statistics are stale.
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
        select(
            Comment.id,
            Comment.fingerprint,
            Comment.cosign_count,
            Comment.section_id,
            Comment.stance,
            Comment.outcome,
            keyed.c.band,
        )
        .join(keyed, keyed.c.comment_id == Comment.id)
        .where(keyed.c.sharing > 1, Comment.moderation == Moderation.VISIBLE)
        .order_by(Comment.created_at, Comment.id, keyed.c.band)
    )
    pending: list[Any] = []
    async for row in stream_rows(uow, query, _BATCH):
        if pending and pending[0].id != row.id:
            yield _candidate(pending)
            pending = []
        pending.append(row)
    if pending:
        yield _candidate(pending)


def _candidate(rows: list[Any]) -> _Candidate:
    first = rows[0]
    return _Candidate(
        comment_id=first.id,
        fingerprint=first.fingerprint,
        cosigns=first.cosign_count,
        section_id=first.section_id,
        stance=first.stance,
        outcome=first.outcome,
        bands=tuple(row.band for row in rows),
    )
