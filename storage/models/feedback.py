"""What participants send: comments, co-signatures, questions, ratings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Comment(Base):
    """A comment on a round or one of its articles; stays, anonymised, after 'forget me'."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_round_created", "round_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    respondent_kind: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str | None] = mapped_column(String(300))
    stance: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    moderation: Mapped[str] = mapped_column(String(12), default="visible")
    moderation_note: Mapped[str | None] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(16))
    cosign_count: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class CommentBand(Base):
    """One locality-sensitive band of a comment's fingerprint, to find near-duplicates by index."""

    __tablename__ = "comment_bands"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[str] = mapped_column(String(12), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))

    __table_args__ = (Index("ix_comment_bands_round_band", "round_id", "band"),)


class CoSignature(Base):
    """A participant who agrees with an existing comment instead of repeating it."""

    __tablename__ = "cosignatures"
    __table_args__ = (UniqueConstraint("comment_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    respondent_kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]


class Question(Base):
    """A question to the responsible agency (dialogue), due within a set number of days."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    answered_at: Mapped[datetime | None]
    due_at: Mapped[datetime]
    created_at: Mapped[datetime]


class Rating(Base):
    """A 1-5 rating of an answer or of a round; one per participant and target."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("participant_id", "target", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    target: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    score: Mapped[int]
    created_at: Mapped[datetime]
