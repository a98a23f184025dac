"""Campaigns: many near-identical comments, counted as one group with an example.

Every comment already has a SimHash fingerprint and eight MinHash LSH band keys
(comment_bands), written when it was stored. Copies of one petition share band
keys with high odds, unrelated comments almost never do. So:

1. In the period's sample (sample.py), comments that share a band key and whose
   fingerprints are within the near-duplicate threshold are joined into groups.
2. When the sample is the whole period, the groups are exact. Otherwise a group
   found in the sample is counted over the whole period in SQL: the comments of
   the period carrying any of the group's three most common band keys (a range
   scan of comment_bands(round_id, band, comment_id) over the period's ids), so a
   campaign of 50,000 copies costs a lookup of its own size, not a pass over the
   round. Three keys, because a copy shares any one key with a probability of
   about J³ (J its similarity): about 0.5 at J = 0.8, 0.9 for one of three.

Separately, the comments that gathered the most co-signatures in the period are
listed: a campaign can also take the form of people co-signing one comment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import func, select

from consultations.digests.content import Period
from consultations.digests.sample import Sampled
from consultations.text import NEAR_DUPLICATE_THRESHOLD, similarity
from storage.models import Comment, CommentBand, CoSignature
from storage.uow import UnitOfWork

MIN_CAMPAIGN = 3
MAX_CAMPAIGNS = 5
CORE_BANDS = 3
_CHUNK = 500


class _Groups:
    """Union-find over comment ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        self.parent[item] = root
        return root

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


async def bands_of(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, list[str]]:
    """The LSH band keys of the given comments."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = await uow.session.execute(
            select(CommentBand.comment_id, CommentBand.band).where(
                CommentBand.comment_id.in_(ids[start : start + _CHUNK])
            )
        )
        for comment_id, band in rows:
            found.setdefault(comment_id, []).append(band)
    return found


def group(sample: Sequence[Sampled], bands: dict[int, list[str]]) -> list[list[Sampled]]:
    """Groups of near-identical comments in the sample, largest first."""
    by_id = {item.id: item for item in sample}
    buckets: dict[str, list[int]] = {}
    for comment_id, keys in bands.items():
        for key in keys:
            buckets.setdefault(key, []).append(comment_id)
    groups = _Groups()
    for members in buckets.values():
        anchor = by_id.get(members[0])
        for other in members[1:]:
            item = by_id.get(other)
            if (
                anchor
                and item
                and similarity(anchor.fingerprint, item.fingerprint) >= (NEAR_DUPLICATE_THRESHOLD)
            ):
                groups.join(anchor.id, item.id)
    clusters: dict[int, list[Sampled]] = {}
    for item in sample:
        clusters.setdefault(groups.find(item.id), []).append(item)
    return sorted(clusters.values(), key=lambda c: (-len(c), c[0].id))


def core_bands(members: Sequence[Sampled], bands: dict[int, list[str]]) -> list[str]:
    """The band keys most members of a group share: what the whole period is searched by."""
    counts = Counter(key for item in members for key in bands.get(item.id, []))
    return [key for key, _count in counts.most_common(CORE_BANDS)]


async def count_in_period(
    uow: UnitOfWork, round_id: int, keys: Sequence[str], ids: tuple[int, int]
) -> tuple[int, int]:
    """(comments, co-signatures they have gathered to date) of the period carrying any key.

    `ids` are the period's first and last comment id: ids grow with time, so the band
    index alone (ix_comment_bands_round_band_comment, an index-only range scan) tells
    which copies belong to the period, and the comments table is not read at all.
    """
    carrying = (
        CommentBand.round_id == round_id,
        CommentBand.band.in_(keys),
        CommentBand.comment_id.between(*ids),
    )
    comments = await uow.session.scalar(
        select(func.count(func.distinct(CommentBand.comment_id))).where(*carrying)
    )
    carriers = select(CommentBand.comment_id).where(*carrying)
    cosigned = await uow.session.scalar(
        select(func.count())
        .select_from(CoSignature)
        .where(CoSignature.comment_id.in_(carriers))
    )
    return int(comments or 0), int(cosigned or 0)


async def most_cosigned(
    uow: UnitOfWork, round_id: int, period: Period, limit: int = MAX_CAMPAIGNS
) -> list[tuple[int, int, int, str]]:
    """(comment id, co-signatures in the period, to date, body) of the most co-signed comments."""
    given = func.count().label("given")
    top = (
        select(CoSignature.comment_id, given)
        .join(Comment, Comment.id == CoSignature.comment_id)
        .where(
            Comment.round_id == round_id,
            CoSignature.created_at >= period.start,
            CoSignature.created_at < period.end,
        )
        .group_by(CoSignature.comment_id)
        .having(given >= MIN_CAMPAIGN)
        .order_by(given.desc(), CoSignature.comment_id)
        .limit(limit)
        .subquery()
    )
    rows = await uow.session.execute(
        select(Comment.id, top.c.given, Comment.cosign_count, Comment.body)
        .join(top, top.c.comment_id == Comment.id)
        .order_by(top.c.given.desc(), Comment.id)
    )
    return [(int(a), int(b), int(c), str(d)) for a, b, c, d in rows]
