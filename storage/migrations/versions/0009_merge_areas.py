"""Merge the areas that branched from 0003 (Zalo tokens, digests, console, privacy requests)

Revision ID: 0009
Revises: 0004, 0005, 0007, 0008
Create Date: 2026-11-27 19:55:00
"""

from collections.abc import Sequence

revision: str = "0009"
down_revision: str | Sequence[str] | None = ("0004", "0005", "0007", "0008")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: this revision only joins the branches into one head."""


def downgrade() -> None:
    """Nothing to change."""
