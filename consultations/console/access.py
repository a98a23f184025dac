"""Who may do what in the console, and which agency's data each person sees.

Every staff account is scoped: an admin sees every agency; agency staff and
moderators see only their own. The permission table is here, not in the web
layer, so chat commands and the console can never disagree about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from consultations.vocab import StaffRole
from storage.models import Staff
from storage.uow import UnitOfWork


class Permission(StrEnum):
    """Things a console page can ask for; names are stable (they appear in audit entries)."""

    ROUNDS_VIEW = "rounds.view"
    ROUNDS_EDIT = "rounds.edit"
    ROUNDS_PUBLISH = "rounds.publish"
    ROUNDS_ANNOUNCE = "rounds.announce"
    ALL_AGENCIES = "agencies.all"
    COMMENTS_VIEW = "comments.view"
    COMMENTS_MODERATE = "comments.moderate"
    OUTCOMES_SET = "outcomes.set"
    QUESTIONS_ANSWER = "questions.answer"
    INSIGHT_VIEW = "insight.view"
    REPORTS_DOWNLOAD = "reports.download"
    OUTCOMES_PUBLISH = "outcomes.publish"
    # A person's data spans every agency they wrote to, so only admins (the province,
    # the controller of the data) handle requests for a copy or for erasure.
    PRIVACY_REQUESTS = "privacy.requests"


_GRANTS: dict[str, frozenset[Permission]] = {
    StaffRole.ADMIN: frozenset(Permission),
    StaffRole.AGENCY_STAFF: frozenset(
        {
            Permission.ROUNDS_VIEW,
            Permission.ROUNDS_EDIT,
            Permission.ROUNDS_PUBLISH,
            Permission.ROUNDS_ANNOUNCE,
            Permission.COMMENTS_VIEW,
            Permission.COMMENTS_MODERATE,
            Permission.OUTCOMES_SET,
            Permission.QUESTIONS_ANSWER,
            Permission.INSIGHT_VIEW,
            Permission.REPORTS_DOWNLOAD,
            Permission.OUTCOMES_PUBLISH,
        }
    ),
    # Moderators review comments (the work queues); rounds are read-only to them, and
    # what becomes of a comment or a question is the agency's decision, not theirs.
    StaffRole.MODERATOR: frozenset(
        {
            Permission.ROUNDS_VIEW,
            Permission.COMMENTS_VIEW,
            Permission.COMMENTS_MODERATE,
            Permission.INSIGHT_VIEW,
        }
    ),
}


@dataclass(frozen=True)
class StaffUser:
    """The person behind a console session, as every page needs them."""

    id: int
    login: str
    display_name: str
    role: str
    agency_id: int | None

    @property
    def actor(self) -> str:
        """How the audit log names this person."""
        return f"staff:{self.id}"

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    def can(self, permission: Permission) -> bool:
        return permission in _GRANTS.get(self.role, frozenset())

    def sees_agency(self, agency_id: int) -> bool:
        """True when this person may read and change data of that agency."""
        return self.is_admin or self.agency_id == agency_id

    @property
    def agency_scope(self) -> int | None:
        """The agency a query must be limited to, or None for an admin (all of them)."""
        return None if self.is_admin else self.agency_id


async def load_user(uow: UnitOfWork, staff_id: int) -> StaffUser | None:
    """The staff member of a session, read fresh on every request.

    Reading it each time means deactivating an account, or moving it to
    another agency, takes effect on that person's very next click.
    """
    row = await uow.session.get(Staff, staff_id)
    if row is None or not row.active or row.password_hash is None:
        return None
    if row.role != StaffRole.ADMIN and row.agency_id is None:
        return None
    return StaffUser(
        id=row.id,
        login=row.login,
        display_name=row.display_name,
        role=row.role,
        agency_id=row.agency_id,
    )
