"""The comments of a digest's period as rows for a spreadsheet (the e-mail attachment).

Read when the e-mail is sent, not when the digest is built: a period of a busy
round can hold tens of thousands of comments, which the digest's own queries never
load. Rows are capped (MAX_ROWS) to keep the attachment within what mail servers
accept; the digest's counts say how many there were in all. Contact details are
redacted, as everywhere a comment leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from consultations.digests import store
from consultations.digests.store import DigestRecord
from consultations.text import redact_pii
from storage.models import Comment, Round, Section
from storage.uow import UnitOfWork

MAX_ROWS = 20000


@dataclass(frozen=True)
class ExportRow:
    id: int
    created_at: datetime
    round_title: str
    article: str
    stance: str
    kind: str
    organisation: str
    cosignatures: int
    moderation: str
    text: str


@dataclass(frozen=True)
class PeriodComments:
    digest: DigestRecord
    rows: list[ExportRow]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


async def period_comments(uow: UnitOfWork, digest_id: int, limit: int = MAX_ROWS) -> PeriodComments:
    """The digest's period comments in the order they came, at most `limit` of them."""
    digest = await store.get(uow, digest_id)
    period = digest.period
    result = await uow.session.execute(
        select(
            Comment.id,
            Comment.created_at,
            Round.title,
            Section.label,
            Comment.stance,
            Comment.respondent_kind,
            Comment.organisation,
            Comment.cosign_count,
            Comment.moderation,
            Comment.body,
        )
        .join(Round, Round.id == Comment.round_id)
        .outerjoin(Section, Section.id == Comment.section_id)
        .where(
            Round.agency_id == digest.agency_id,
            Comment.created_at >= period.start,
            Comment.created_at < period.end,
        )
        .order_by(Comment.created_at, Comment.id)
        .limit(limit)
    )
    rows = [
        ExportRow(cid, at, title, label or "", stance, kind, org or "", cos, mod, redact_pii(body))
        for cid, at, title, label, stance, kind, org, cos, mod, body in result
    ]
    total = sum(part.new_comments for part in digest.content.rounds)
    return PeriodComments(digest, rows, max(total, len(rows)))
