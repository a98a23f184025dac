"""The closed sets of values the domain stores as strings."""

from __future__ import annotations

from enum import StrEnum


class RoundStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    REPORTED = "reported"


class Stance(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    SUGGEST = "suggest"
    OTHER = "other"


class RespondentKind(StrEnum):
    CITIZEN = "citizen"
    BUSINESS = "business"


class Moderation(StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"
    HIDDEN = "hidden"
    ABUSIVE = "abusive"


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    EXPLAINED = "explained"


class QuestionStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Purpose(StrEnum):
    """What a participant consents to, one purpose at a time (PDPL 2025)."""

    PARTICIPATE = "participate"
    NOTIFY = "notify"


class StaffRole(StrEnum):
    ADMIN = "admin"
    AGENCY_STAFF = "agency_staff"
    MODERATOR = "moderator"


class FollowTarget(StrEnum):
    ALL = "all"
    AGENCY = "agency"
    ROUND = "round"


CONSENT_TEXT_VERSION = "2026-11"
MAX_TEXT_LENGTH = 4000
QUESTION_DUE_DAYS = 15
