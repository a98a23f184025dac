"""Building one agency's digest for one period from the pieces in this package."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from consultations.digests import activity, campaigns
from consultations.digests.activity import Breakdown, RoundRow
from consultations.digests.content import (
    Campaign,
    Cosigned,
    DigestContent,
    Period,
    RoundDigest,
    Theme,
)
from consultations.digests.questions import DUE_SOON_DAYS, clip, questions_digest
from consultations.digests.sample import SAMPLE_SIZE, Sampled, period_sample, reference_sample
from consultations.digests.satisfaction import satisfaction
from consultations.digests.store import check_kind
from consultations.digests.themes import Doc, key_phrases
from consultations.errors import NotFound
from consultations.text import redact_pii
from storage.models import Agency
from storage.uow import UnitOfWork

EXAMPLE_CHARS = 240
THEME_DOCS = 1000  # comments the key phrases are drawn from, evenly over the period


async def build(
    uow: UnitOfWork, agency_id: int, kind: str, period: Period, *, sample_size: int = SAMPLE_SIZE
) -> DigestContent:
    """What happened in the agency's rounds and questions during the period."""
    agency = await uow.session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("agency.not_found")
    rounds = [
        await _round_part(uow, row, period, sample_size)
        for row in await activity.rounds_in_period(uow, agency_id, period)
    ]
    return DigestContent(
        agency_id=agency.id,
        agency_code=agency.code,
        agency_name=agency.name,
        kind=check_kind(kind),
        period=period,
        rounds=rounds,
        questions=await questions_digest(uow, agency_id, period),
        satisfaction=await satisfaction(uow, agency_id, period),
        due_soon_days=DUE_SOON_DAYS,
    )


def example(text: str) -> str:
    """A comment as a digest quotes it: contact details removed, a few lines at most."""
    return clip(redact_pii(text), EXAMPLE_CHARS)


async def _round_part(
    uow: UnitOfWork, row: RoundRow, period: Period, sample_size: int
) -> RoundDigest:
    counted = await activity.breakdown(uow, row.id, period)
    themes: list[Theme] = []
    found: list[Campaign] = []
    sampled = 0
    if counted.comments and counted.first_id is not None and counted.last_id is not None:
        sample = await period_sample(
            uow, row.id, period, counted.first_id, counted.last_id, counted.comments, sample_size
        )
        sampled = len(sample)
        bands = await campaigns.bands_of(uow, [item.id for item in sample])
        groups = campaigns.group(sample, bands)
        exact = counted.comments <= sample_size
        found = await _campaigns(uow, row.id, period, groups, bands, exact, counted)
        themes = await _themes(uow, row.id, period, groups)
    cosigned = [
        Cosigned(comment_id, new, total, example(body))
        for comment_id, new, total, body in await campaigns.most_cosigned(uow, row.id, period)
    ]
    return RoundDigest(
        round_id=row.id,
        title=row.title,
        status=row.status,
        closes_at=row.closes_at,
        new_comments=counted.comments,
        new_cosignatures=counted.cosignatures,
        by_article=counted.by_article,
        by_stance=counted.by_stance,
        by_kind=counted.by_kind,
        themes=themes,
        campaigns=found,
        cosigned=cosigned,
        totals=await activity.totals(uow, row.id, period.end),
        sampled=sampled,
    )


async def _campaigns(
    uow: UnitOfWork,
    round_id: int,
    period: Period,
    groups: Sequence[list[Sampled]],
    bands: dict[int, list[str]],
    exact: bool,
    counted: Breakdown,
) -> list[Campaign]:
    """Groups big enough to be a campaign: exact from a whole-period sample, else counted."""
    labels = {a.section_id: a.label for a in counted.by_article}
    found = []
    for members in groups:
        if len(members) < (campaigns.MIN_CAMPAIGN if exact else 2):
            break
        if exact:
            size, cosigned = len(members), sum(m.cosign_count for m in members)
        else:
            keys = campaigns.core_bands(members, bands)
            ids = (counted.first_id or 0, counted.last_id or 0)
            size, cosigned = await campaigns.count_in_period(uow, round_id, keys, ids)
        if size < campaigns.MIN_CAMPAIGN:
            continue
        section = Counter(m.section_id for m in members).most_common(1)[0][0]
        first = members[0]
        found.append(
            Campaign(size, cosigned, first.id, example(first.body), labels.get(section) or None)
        )
        if len(found) == campaigns.MAX_CAMPAIGNS:
            break
    return sorted(found, key=lambda c: (-c.comments, c.example_id))


async def _themes(
    uow: UnitOfWork, round_id: int, period: Period, groups: Sequence[list[Sampled]]
) -> list[Theme]:
    """Key phrases over one comment per group, so a campaign counts once, not once per copy."""
    docs = sorted((Doc(members[0].id, members[0].body) for members in groups), key=lambda d: d.id)
    docs = docs[:: max(1, math.ceil(len(docs) / THEME_DOCS))]
    reference = [item.body for item in await reference_sample(uow, round_id, period)]
    return [
        Theme(hit.phrase, hit.comments, hit.example.id, example(hit.example.text))
        for hit in key_phrases(docs, reference)
    ]
