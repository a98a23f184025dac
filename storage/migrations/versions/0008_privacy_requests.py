"""privacy requests: data subjects' requests received outside the chat, with their deadlines

Revision ID: 0008
Revises: 0003
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0008"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "privacy_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column(
            "received_at", storage.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("received_via", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "recorded_at", storage.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column(
            "completed_at", storage.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["completed_by"], ["staff.id"], name=op.f("fk_privacy_requests_completed_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_privacy_requests_participant_id_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["staff.id"], name=op.f("fk_privacy_requests_recorded_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_requests")),
    )
    with op.batch_alter_table("privacy_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_requests_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_privacy_requests_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("privacy_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_requests_participant_id"))
        batch_op.drop_index(batch_op.f("ix_privacy_requests_due_at"))
    op.drop_table("privacy_requests")
