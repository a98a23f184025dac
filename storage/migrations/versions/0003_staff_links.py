"""staff link codes: one-time codes linking chat accounts to staff and groups to agencies

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(staff_id IS NULL) <> (agency_id IS NULL)",
            name=op.f("ck_staff_link_codes_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_staff_link_codes_agency_id_agencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_link_codes_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_link_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_staff_link_codes_code_hash")),
    )
    with op.batch_alter_table("staff_link_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_link_codes_agency_id"), ["agency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_staff_link_codes_staff_id"), ["staff_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_link_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_link_codes_staff_id"))
        batch_op.drop_index(batch_op.f("ix_staff_link_codes_agency_id"))
    op.drop_table("staff_link_codes")
