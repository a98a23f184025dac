"""All tables; importing this module registers every model on `Base.metadata`."""

from storage.models.agencies import Agency, AgencyChannel, DocumentType, Staff
from storage.models.base import Base, UTCDateTime
from storage.models.channel_tokens import ChannelToken
from storage.models.console import LoginAttempt
from storage.models.digests import JobMark
from storage.models.feedback import Comment, CommentBand, CoSignature, Question, Rating
from storage.models.messaging import AppSecret, AuditEntry, Digest, InboundEvent, OutboxMessage
from storage.models.participants import Consent, DialogState, Participant, Subscription
from storage.models.privacy_requests import PrivacyRequest
from storage.models.rounds import Round, Section
from storage.models.staff_links import StaffLinkCode

__all__ = [
    "Agency",
    "AgencyChannel",
    "AppSecret",
    "AuditEntry",
    "Base",
    "ChannelToken",
    "CoSignature",
    "Comment",
    "CommentBand",
    "Consent",
    "DialogState",
    "Digest",
    "DocumentType",
    "InboundEvent",
    "JobMark",
    "LoginAttempt",
    "OutboxMessage",
    "Participant",
    "PrivacyRequest",
    "Question",
    "Rating",
    "Round",
    "Section",
    "Staff",
    "StaffLinkCode",
    "Subscription",
    "UTCDateTime",
]
