"""Inbound event records, the outbox, digests and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class InboundEvent(Base):
    """Each platform event seen once: the key that makes redelivery harmless."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("channel", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, Any] | None]
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]


class OutboxMessage(Base):
    """A message to send, committed with the change that caused it, sent by the dispatcher."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient", "channel", "recipient", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(128))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # A dispatcher owns a "sending" row until lease_until; one that died mid-send
    # leaves it claimable again after that. lease_owner names the claim, so a late
    # answer from a lost claim cannot overwrite the row's newer state.
    lease_until: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(36))
    # 429s do not count as attempts, but are capped; ambiguous time-outs may have
    # delivered the message, so a duplicate on the platform is explained here.
    throttled_count: Mapped[int] = mapped_column(default=0, server_default="0")
    ambiguous_count: Mapped[int] = mapped_column(default=0, server_default="0")


class Digest(Base):
    """A digest for one agency and one period; unique per period end so none is sent twice."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("agency_id", "kind", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    kind: Mapped[str] = mapped_column(String(10), default="daily")
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    content: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """Who did what, when and from where: every admin and override action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(100), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class AppSecret(Base):
    """A generated secret shared by every instance (e.g. the key that signs sessions)."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
