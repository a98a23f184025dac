"""People who take part, their consents, subscriptions and dialog state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Participant(Base):
    """A citizen or business on one channel; created only once they consent."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    channel_user_id: Mapped[str | None] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(20), default="citizen")
    organisation: Mapped[str | None] = mapped_column(String(300))
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    unreachable_at: Mapped[datetime | None]
    forgotten_at: Mapped[datetime | None]


class Consent(Base):
    """Consent to one purpose, with the version of the text the person saw."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("participant_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(30))
    text_version: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]


class Subscription(Base):
    """A participant follows all new rounds, one agency, or one round."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("participant_id", "target", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]


class DialogState(Base):
    """Where a participant is in the conversation; in the database so restarts keep it."""

    __tablename__ = "dialog_states"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[str] = mapped_column(String(40), default="menu")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]
