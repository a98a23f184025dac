"""What the scheduled sweeps remember, and the indexes the agencies' digests read through.

A sweep (rounds announced, reminders sent) must do each thing once however often it
runs, and must not rescan everything it already did on every run; a `JobMark` row is
that memory. The digest itself is `messaging.Digest`; its period queries need the
indexes below, declared here so that the models and migration 0005 agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.feedback import Comment, CommentBand, CoSignature, Question


class JobMark(Base):
    """One thing a scheduled job has done, e.g. ("announce", "opened:12")."""

    __tablename__ = "job_marks"

    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    done_at: Mapped[datetime]


# A digest counts a period's comments by article, stance and respondent kind, and a
# round's running totals (comments, co-signatures); with these columns in the index
# neither count reads the comments table itself.
COMMENTS_PERIOD_INDEX = Index(
    "ix_comments_digest_period",
    Comment.round_id,
    Comment.created_at,
    Comment.section_id,
    Comment.stance,
    Comment.respondent_kind,
    Comment.cosign_count,
)
# A campaign found in the digest's sample is counted over the period by its band keys;
# with the comment id in the index that is a range scan of the period's copies only.
BANDS_INDEX = Index(
    "ix_comment_bands_round_band_comment",
    CommentBand.round_id,
    CommentBand.band,
    CommentBand.comment_id,
)
# Co-signatures are counted by when they were given, not by their comment's date.
COSIGNATURES_PERIOD_INDEX = Index(
    "ix_cosignatures_created_comment", CoSignature.created_at, CoSignature.comment_id
)
# Open questions of an agency by due date: the reminders' and the digests' lists.
QUESTIONS_DUE_INDEX = Index(
    "ix_questions_agency_status_due", Question.agency_id, Question.status, Question.due_at
)
