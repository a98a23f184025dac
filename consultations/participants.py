"""Participants and their consent: nothing is stored about a person before they agree."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from sqlalchemy import Exists, Row, Select, bindparam, select, update

from consultations.dialog import Dialog
from consultations.errors import InvalidInput, NotFound
from consultations.text import normalize_line
from consultations.views import ParticipantView
from consultations.vocab import CONSENT_TEXT_VERSION, Purpose, RespondentKind
from storage.models import Consent, DialogState, Participant
from storage.uow import UnitOfWork

LOCALES = ("vi", "en")


# Seen-times are kept to the hour: writing one on every message would cost an UPDATE each.
LAST_SEEN_RESOLUTION = timedelta(hours=1)


def _consent(purpose: Purpose) -> Exists:
    return (
        select(Consent.id)
        .where(
            Consent.participant_id == Participant.id,
            Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None),
        )
        .exists()
    )


def _with_consents() -> Select[Participant, bool, bool]:
    """A participant and their two consents, in one query (it runs on every message)."""
    return select(Participant, _consent(Purpose.PARTICIPATE), _consent(Purpose.NOTIFY))


# What handling every inbound event starts with, built once and run as plain columns (no
# ORM objects to build): the person, their consents and where they are in the dialog.
_PERSON_AND_DIALOG = (
    select(
        Participant.id,
        Participant.channel,
        Participant.channel_user_id,
        Participant.kind,
        Participant.organisation,
        Participant.locale,
        _consent(Purpose.PARTICIPATE).label("consented"),
        _consent(Purpose.NOTIFY).label("notify_consented"),
        Participant.unreachable_at,
        Participant.last_seen_at,
        DialogState.step,
        DialogState.data,
    )
    .outerjoin(DialogState, DialogState.participant_id == Participant.id)
)
_FIND_WITH_DIALOG = _PERSON_AND_DIALOG.where(
    Participant.channel == bindparam("channel"),
    Participant.channel_user_id == bindparam("user_ref"),
)
_FIND_MANY_WITH_DIALOG = _PERSON_AND_DIALOG.where(
    Participant.channel == bindparam("channel"),
    Participant.channel_user_id.in_(bindparam("user_refs", expanding=True)),
)
PersonRow = Row[*tuple[Any, ...]]
_SEEN_MANY = (
    update(Participant)
    .where(Participant.id.in_(bindparam("participant_ids", expanding=True)))
    .values(unreachable_at=None, last_seen_at=bindparam("now"))
)
_SEEN = (
    update(Participant)
    .where(Participant.id == bindparam("participant_id"))
    .values(unreachable_at=None, last_seen_at=bindparam("now"))
)


def _to_view(row: Participant, participate: bool, notify: bool) -> ParticipantView:
    return ParticipantView(
        id=row.id,
        channel=row.channel,
        channel_user_id=row.channel_user_id,
        kind=row.kind,
        organisation=row.organisation,
        locale=row.locale,
        consented=bool(participate),
        notify_consented=bool(notify),
    )


async def _view(uow: UnitOfWork, row: Participant) -> ParticipantView:
    result = (await uow.session.execute(_with_consents().where(Participant.id == row.id))).one()
    return _to_view(*result)


async def find(uow: UnitOfWork, channel: str, user_ref: str) -> ParticipantView | None:
    """The participant behind a channel's user id, if they ever consented."""
    result = (
        await uow.session.execute(
            _with_consents().where(
                Participant.channel == channel, Participant.channel_user_id == user_ref
            )
        )
    ).first()
    if result is None:
        return None
    row, participate, notify = result
    _seen(uow, row)
    return _to_view(row, participate, notify)


async def find_with_dialog(
    uow: UnitOfWork, channel: str, user_ref: str
) -> tuple[ParticipantView | None, Dialog]:
    """`find`, and where the person is in the conversation (a fresh dialog for a stranger).

    It runs on every inbound event, so it reads columns through the connection, and
    writes the seen-time only when it is an hour old or the person was unreachable.
    """
    connection = await uow.session.connection()
    row = (
        await connection.execute(_FIND_WITH_DIALOG, {"channel": channel, "user_ref": user_ref})
    ).first()
    if row is None:
        return None, Dialog()
    if _stale(uow, row):
        await connection.execute(_SEEN, {"participant_id": row.id, "now": uow.now()})
    return _person_and_dialog(row)


async def find_many_with_dialog(
    uow: UnitOfWork, channel: str, user_refs: Collection[str]
) -> dict[str, tuple[ParticipantView, Dialog]]:
    """`find_with_dialog` for several people of one channel in one query, by user ref.

    People who never consented are not in the result. Seen-times that need writing are
    written with one UPDATE for all of them.
    """
    if not user_refs:
        return {}
    connection = await uow.session.connection()
    rows = (
        await connection.execute(
            _FIND_MANY_WITH_DIALOG, {"channel": channel, "user_refs": list(user_refs)}
        )
    ).all()
    stale = [row.id for row in rows if _stale(uow, row)]
    if stale:
        await connection.execute(_SEEN_MANY, {"participant_ids": stale, "now": uow.now()})
    return {row.channel_user_id: _person_and_dialog(row) for row in rows}


def _stale(uow: UnitOfWork, row: PersonRow) -> bool:
    """The seen-time needs writing: an hour old, or the person was marked unreachable."""
    return bool(
        row.unreachable_at is not None or uow.now() - row.last_seen_at > LAST_SEEN_RESOLUTION
    )


def _person_and_dialog(row: PersonRow) -> tuple[ParticipantView, Dialog]:
    view = ParticipantView(
        id=row.id,
        channel=row.channel,
        channel_user_id=row.channel_user_id,
        kind=row.kind,
        organisation=row.organisation,
        locale=row.locale,
        consented=bool(row.consented),
        notify_consented=bool(row.notify_consented),
    )
    dialog = Dialog() if row.step is None else Dialog(step=row.step, data=dict(row.data))
    return view, dialog


def _seen(uow: UnitOfWork, row: Participant) -> None:
    """They wrote to us: reachable again, and seen now (to the hour)."""
    now = uow.now()
    if row.unreachable_at is not None:
        row.unreachable_at = None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        row.last_seen_at = now


async def get(uow: UnitOfWork, participant_id: int) -> ParticipantView:
    row = await uow.session.get(Participant, participant_id)
    if row is None or row.forgotten_at is not None:
        raise NotFound("participant.not_found")
    return await _view(uow, row)


async def grant_consent(
    uow: UnitOfWork,
    channel: str,
    user_ref: str,
    purpose: Purpose = Purpose.PARTICIPATE,
    *,
    locale: str = "vi",
    text_version: str = CONSENT_TEXT_VERSION,
) -> ParticipantView:
    """Record consent to one purpose, creating the participant on first consent.

    Clicking "I agree" twice changes nothing the second time.
    """
    row = await uow.session.scalar(
        select(Participant).where(
            Participant.channel == channel, Participant.channel_user_id == user_ref
        )
    )
    now = uow.now()
    if row is None:
        row = Participant(
            channel=channel,
            channel_user_id=user_ref,
            kind=RespondentKind.CITIZEN,
            locale=locale if locale in LOCALES else "vi",
            created_at=now,
            last_seen_at=now,
        )
        uow.session.add(row)
        await uow.session.flush()
    consent = await uow.session.scalar(
        select(Consent).where(Consent.participant_id == row.id, Consent.purpose == purpose)
    )
    if consent is None:
        uow.session.add(
            Consent(
                participant_id=row.id, purpose=purpose, text_version=text_version, granted_at=now
            )
        )
    elif consent.withdrawn_at is not None:
        consent.withdrawn_at, consent.granted_at, consent.text_version = None, now, text_version
    await uow.session.flush()
    return await _view(uow, row)


async def withdraw_consent(uow: UnitOfWork, participant_id: int, purpose: Purpose) -> None:
    """Withdraw one purpose (e.g. notifications) and keep the others."""
    consent = await uow.session.scalar(
        select(Consent).where(Consent.participant_id == participant_id, Consent.purpose == purpose)
    )
    if consent is not None and consent.withdrawn_at is None:
        consent.withdrawn_at = uow.now()


async def set_locale(uow: UnitOfWork, participant_id: int, locale: str) -> None:
    if locale not in LOCALES:
        raise InvalidInput("participant.bad_locale")
    row = await uow.session.get(Participant, participant_id)
    if row is None:
        raise NotFound("participant.not_found")
    row.locale = locale


async def set_respondent(
    uow: UnitOfWork, participant_id: int, kind: str, organisation: str | None = None
) -> None:
    """Say whether one comments as a citizen or for a business (with its name)."""
    if kind not in (RespondentKind.CITIZEN, RespondentKind.BUSINESS):
        raise InvalidInput("participant.bad_kind")
    name = normalize_line(organisation or "")[:300] or None
    if kind == RespondentKind.BUSINESS and name is None:
        raise InvalidInput("participant.organisation_required")
    row = await uow.session.get(Participant, participant_id)
    if row is None:
        raise NotFound("participant.not_found")
    row.kind = kind
    row.organisation = name if kind == RespondentKind.BUSINESS else None
