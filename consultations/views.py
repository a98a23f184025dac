"""Plain, immutable views the domain hands upward instead of ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AgencyView:
    id: int
    code: str
    name: str
    name_en: str | None


@dataclass(frozen=True)
class RoundView:
    id: int
    agency_id: int
    agency_name: str
    title: str
    summary: str
    status: str
    document_type: str
    opens_at: datetime | None
    closes_at: datetime | None
    article_count: int


@dataclass(frozen=True)
class SectionView:
    id: int
    round_id: int
    ordinal: int
    kind: str
    label: str
    heading: str
    body: str
    path: str


@dataclass(frozen=True)
class ParticipantView:
    id: int
    channel: str
    channel_user_id: str | None
    kind: str
    organisation: str | None
    locale: str
    consented: bool
    notify_consented: bool


@dataclass(frozen=True)
class CommentView:
    id: int
    round_id: int
    round_title: str
    section_label: str | None
    stance: str
    body: str
    moderation: str
    cosign_count: int
    outcome: str | None
    outcome_note: str | None
    created_at: datetime


@dataclass(frozen=True)
class QuestionView:
    id: int
    agency_id: int
    round_id: int | None
    body: str
    status: str
    answer: str | None
    due_at: datetime
    created_at: datetime
