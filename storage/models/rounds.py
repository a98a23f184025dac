"""Consultation rounds and the sections of their drafts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Round(Base):
    """One consultation on one draft: draft -> scheduled -> open -> closed -> reported."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    document_type: Mapped[str] = mapped_column(ForeignKey("document_types.code"))
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    draft_original: Mapped[str] = mapped_column(Text, default="")
    preamble: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class Section(Base):
    """A part, chapter, section or article (Điều) of a round's draft, in document order."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("round_id", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    ordinal: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(60))
    number: Mapped[str] = mapped_column(String(20))
    heading: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    path: Mapped[str] = mapped_column(String(300), default="")
