"""What the admin console keeps beyond the shared tables: login attempts for lock-out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class LoginAttempt(Base):
    """One try to log in to the console, kept for a day.

    In the database rather than in memory so a lock-out survives a restart and
    holds across every instance behind a load balancer. `login` is what was
    typed (normalised), whether or not such an account exists.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_login_at", "login", "at"),
        Index("ix_login_attempts_remote_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    login: Mapped[str] = mapped_column(String(100))
    remote_addr: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool]
