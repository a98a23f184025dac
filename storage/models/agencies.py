"""Agencies, where they receive digests, their staff, and document types."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Agency(Base):
    """A responsible agency (cơ quan chủ trì soạn thảo), e.g. a provincial department."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    digest_cron: Mapped[str] = mapped_column(String(100), default="30 7 * * *")
    weekly_digest_cron: Mapped[str | None] = mapped_column(String(100), default="0 8 * * mon")
    send_empty_digest: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class AgencyChannel(Base):
    """A destination of an agency's digests and notifications (a chat, a Zalo user, e-mail)."""

    __tablename__ = "agency_channels"
    __table_args__ = (UniqueConstraint("agency_id", "channel", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Staff(Base):
    """A person who works in the console or answers on a channel for an agency."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    login: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(Text)
    telegram_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    zalo_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class DocumentType(Base):
    """A kind of document and the minimum comment period the law sets for it."""

    __tablename__ = "document_types"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    min_comment_days: Mapped[int]
