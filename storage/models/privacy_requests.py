"""Requests a person makes about their own data outside the chat (by letter, e-mail, in person).

In the chat a person gets a copy of their data or is forgotten at once. A request
that reaches the province another way is a task with a legal deadline: staff
record it, act on it in the console, and the record shows when it was received,
by when it was due and when, by whom and how it was done. The record holds no
channel user id: after an erasure it must not keep what was erased.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class PrivacyRequest(Base):
    """A data subject's request for a copy of their data or for its erasure."""

    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[datetime]
    received_via: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime] = mapped_column(index=True)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    result: Mapped[str | None] = mapped_column(String(12))
