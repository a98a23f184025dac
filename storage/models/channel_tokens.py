"""OAuth tokens a channel needs to call its platform (the Zalo OA access/refresh pair)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ChannelToken(Base):
    """The current token pair of one platform account, e.g. "zalo_oa:<oa id>".

    Zalo refresh tokens are single-use and rotate on every refresh, so the pair
    lives in the database (shared by every instance) and `version` goes up each
    time it is replaced: a process holding an older version knows another one
    refreshed meanwhile. The row is locked (FOR UPDATE) while a refresh runs.
    """

    __tablename__ = "channel_tokens"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    access_expires_at: Mapped[datetime]
    refresh_expires_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
