"""The synthesis report and the open data as plain values: what the file writers print."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PENDING = "pending"  # the outcome key of comments the agency has not decided on yet


@dataclass(frozen=True)
class ReportHeader:
    """The round and its totals, for the top of every report.

    `comments` counts visible comments; `rows` is what is left of them once
    near-duplicates are folded into their representative. `excluded` counts
    comments kept out of the report by moderation status (hidden, abusive,
    pending), `respondents` distinct people by kind, `outcomes` visible comments
    by outcome with PENDING for the undecided.
    """

    round_id: int
    title: str
    agency_name: str
    status: str
    opens_at: datetime | None
    closes_at: datetime | None
    generated_at: datetime
    comments: int
    rows: int
    near_duplicates: int
    cosignatures: int
    excluded: dict[str, int] = field(default_factory=dict)
    respondents: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ArticleSummary:
    """How many visible comments one article (or the whole draft) got, by stance and outcome."""

    section_id: int | None
    label: str | None
    heading: str
    comments: int
    cosignatures: int
    by_stance: dict[str, int]
    by_outcome: dict[str, int]


@dataclass(frozen=True)
class SynthesisRow:
    """One line of the synthesis table: a comment, standing for its near-duplicates too.

    `comment` is the text as the citizen wrote it with personal data redacted;
    `similar` is how many other opinions the line stands for: the near-duplicates
    folded into it plus every co-signature of the group.
    """

    ordinal: int
    comment_id: int
    commenter: str
    respondent_kind: str
    article: str
    stance: str
    comment: str
    outcome: str | None
    reason: str
    near_duplicates: int
    cosignatures: int

    @property
    def similar(self) -> int:
        return self.near_duplicates + self.cosignatures


@dataclass(frozen=True)
class OpenDataRow:
    """One visible comment as published in open data: nothing that identifies its author."""

    comment_number: int
    article: str | None
    article_heading: str | None
    stance: str
    respondent_kind: str
    organisation: str | None
    date: str
    comment: str
    outcome: str | None
    reason: str | None
    cosignatures: int
