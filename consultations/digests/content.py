"""What a digest says, as plain data: built once, stored as JSON, rendered per channel.

The stored JSON is the record of what the agency was told for a period, so these
classes convert to and from plain JSON values without losing anything (times as
ISO 8601 strings in UTC).
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    """[start, end): a digest reports what happened from `start` up to, not including, `end`."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class ArticleActivity:
    """New comments and co-signatures on one article (section None: the draft as a whole)."""

    section_id: int | None
    label: str
    heading: str
    comments: int
    cosignatures: int

    @property
    def activity(self) -> int:
        return self.comments + self.cosignatures


@dataclass(frozen=True)
class Theme:
    """A key phrase of the period's comments, with one representative comment (redacted)."""

    phrase: str
    comments: int  # comments of the sample that use it
    example_id: int
    example: str


@dataclass(frozen=True)
class Campaign:
    """Near-identical comments of the period, counted together, with one of them as example."""

    comments: int
    cosignatures: int  # co-signatures these comments have gathered to date
    example_id: int
    example: str
    label: str | None  # the article most of them are on, if any


@dataclass(frozen=True)
class Cosigned:
    """A comment that gathered many co-signatures in the period."""

    comment_id: int
    new_cosignatures: int
    total_cosignatures: int
    example: str


@dataclass(frozen=True)
class RoundTotals:
    """Running totals of a round up to the end of the period."""

    comments: int
    cosignatures: int


@dataclass(frozen=True)
class RoundDigest:
    """One round's part of a digest."""

    round_id: int
    title: str
    status: str
    closes_at: datetime | None
    new_comments: int
    new_cosignatures: int
    by_article: list[ArticleActivity]
    by_stance: dict[str, int]
    by_kind: dict[str, int]  # comments and co-signatures by respondent kind
    themes: list[Theme]
    campaigns: list[Campaign]
    cosigned: list[Cosigned]
    totals: RoundTotals
    sampled: int  # how many of the period's comments the themes were drawn from

    @property
    def quiet(self) -> bool:
        return self.new_comments == 0 and self.new_cosignatures == 0


@dataclass(frozen=True)
class QuestionItem:
    """A question as staff need it to answer: its id, redacted text, due date and draft."""

    id: int
    text: str
    due_at: datetime
    round_title: str | None


@dataclass(frozen=True)
class QuestionsDigest:
    """New questions, those due within a few days, and those past due (lists are capped)."""

    new: list[QuestionItem]
    due_soon: list[QuestionItem]
    overdue: list[QuestionItem]
    new_count: int
    due_soon_count: int
    overdue_count: int
    answered_in_period: int
    open_total: int

    @property
    def needs_attention(self) -> bool:
        return bool(self.new_count or self.due_soon_count or self.overdue_count)


@dataclass(frozen=True)
class Satisfaction:
    """Ratings of the agency's answers and rounds: how many, and how many were 4 or 5."""

    period_ratings: int
    period_satisfied: int
    total_ratings: int
    total_satisfied: int

    @property
    def period_share(self) -> float | None:
        return self.period_satisfied / self.period_ratings if self.period_ratings else None

    @property
    def total_share(self) -> float | None:
        return self.total_satisfied / self.total_ratings if self.total_ratings else None


@dataclass(frozen=True)
class DigestContent:
    """Everything one digest reports for one agency and one period."""

    agency_id: int
    agency_code: str
    agency_name: str
    kind: str
    period: Period
    rounds: list[RoundDigest]
    questions: QuestionsDigest
    satisfaction: Satisfaction
    due_soon_days: int = 3

    @property
    def empty(self) -> bool:
        """Nothing happened and nothing waits: the period is worth one line at most."""
        return (
            all(r.quiet for r in self.rounds)
            and not self.questions.needs_attention
            and self.satisfaction.period_ratings == 0
        )

    def to_json(self) -> dict[str, Any]:
        result = _to_json(self)
        assert isinstance(result, dict)
        return result

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DigestContent:
        result = _from_json(cls, data)
        assert isinstance(result, DigestContent)
        return result


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    return value


def _from_json(kind: Any, value: Any) -> Any:
    """Rebuild a value of the annotated type `kind` from its JSON form."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(kind) if arg is not type(None)]
        return None if value is None else _from_json(options[0], value)
    if origin is list:
        return [_from_json(get_args(kind)[0], item) for item in value]
    if origin is dict:
        return dict(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = get_type_hints(kind)
        known = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _from_json(hints[k], v) for k, v in value.items() if k in known})
    if kind is datetime:
        return datetime.fromisoformat(value)
    return value
