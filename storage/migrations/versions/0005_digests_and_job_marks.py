"""digests and scheduled jobs: job marks, and indexes for the digests' period queries

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_marks",
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("done_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", "key", name=op.f("pk_job_marks")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comments_digest_period",
            ["round_id", "created_at", "section_id", "stance", "respondent_kind", "cosign_count"],
            unique=False,
        )
    with op.batch_alter_table("comment_bands", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comment_bands_round_band_comment", ["round_id", "band", "comment_id"], unique=False
        )
    with op.batch_alter_table("cosignatures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cosignatures_created_comment", ["created_at", "comment_id"], unique=False
        )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_questions_agency_status_due", ["agency_id", "status", "due_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_agency_status_due")
    with op.batch_alter_table("cosignatures", schema=None) as batch_op:
        batch_op.drop_index("ix_cosignatures_created_comment")
    with op.batch_alter_table("comment_bands", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_bands_round_band_comment")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_digest_period")
    op.drop_table("job_marks")
