"""One-time codes that link a chat account to a staff member, or a group chat to an agency."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class StaffLinkCode(Base):
    """A code an admin hands to a staff member (or to an agency's group) out of band.

    Only the SHA-256 of the code is stored, so reading this table links nobody;
    `used_at` makes it single-use and `expires_at` bounds how long a leaked code
    is worth anything. Exactly one of `staff_id` and `agency_id` is the target.
    """

    __tablename__ = "staff_link_codes"
    __table_args__ = (
        CheckConstraint("(staff_id IS NULL) <> (agency_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    issued_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
