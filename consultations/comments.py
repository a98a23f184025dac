"""Comments on a round or an article, near-duplicates and co-signatures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, insert, select, update

from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.text import fingerprint, is_abusive, normalize_text, similarity
from consultations.text.fingerprint import NEAR_DUPLICATE_THRESHOLD
from consultations.text.minhash import lsh_bands
from consultations.views import CommentView, ParticipantView
from consultations.vocab import MAX_TEXT_LENGTH, Moderation, RoundStatus, Stance
from storage.models import Comment, CommentBand, CoSignature, Participant, Round, Section
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class NearDuplicate:
    """An existing comment close enough that the citizen may co-sign it instead."""

    comment_id: int
    body: str
    cosign_count: int
    similarity: float


def clean_body(text: str) -> str:
    """Normalise a comment's text and enforce its limits (shared by all channels)."""
    body = normalize_text(text)
    if not body:
        raise InvalidInput("comment.empty")
    if len(body) > MAX_TEXT_LENGTH:
        raise InvalidInput("comment.too_long", limit=MAX_TEXT_LENGTH)
    return body


# A round's status and title, not the Round entity (which would bring the whole draft).
_ROUND_STATUS = select(Round.status, Round.title).where(Round.id == bindparam("round_id"))


async def _open_round(uow: UnitOfWork, round_id: int) -> str:
    """The title of an open round; NotFound or InvalidState otherwise."""
    connection = await uow.session.connection()
    row = (await connection.execute(_ROUND_STATUS, {"round_id": round_id})).first()
    if row is None:
        raise NotFound("round.not_found")
    if row.status != RoundStatus.OPEN:
        raise InvalidState("round.not_open")
    return str(row.title)


async def _check_section(uow: UnitOfWork, round_id: int, section_id: int | None) -> str | None:
    """The label of the round's article `section_id` (None for the whole round)."""
    if section_id is None:
        return None
    section = await uow.session.get(Section, section_id)
    if section is None or section.round_id != round_id or section.kind != "article":
        raise NotFound("section.not_found")
    return section.label


# Candidates sharing a band key with the text, built once (it runs on every stance chosen).
_NEAR_CANDIDATES = (
    select(Comment.id, Comment.body, Comment.cosign_count, Comment.fingerprint)
    .where(
        Comment.id.in_(
            select(CommentBand.comment_id).where(
                CommentBand.round_id == bindparam("round_id"),
                CommentBand.band.in_(bindparam("bands", expanding=True)),
            )
        ),
        Comment.moderation == Moderation.VISIBLE,
        (Comment.participant_id.is_(None)) | (Comment.participant_id != bindparam("exclude")),
    )
    .order_by(Comment.id)
    .limit(50)
)


async def find_near_duplicate(
    uow: UnitOfWork, round_id: int, text: str, *, exclude_participant: int | None = None
) -> NearDuplicate | None:
    """The most similar visible comment in the round, found through fingerprint bands."""
    body = normalize_text(text)
    fp = fingerprint(body)
    params = {"round_id": round_id, "bands": lsh_bands(body), "exclude": exclude_participant or 0}
    best: NearDuplicate | None = None
    connection = await uow.session.connection()
    for candidate in await connection.execute(_NEAR_CANDIDATES, params):
        score = similarity(fp, candidate.fingerprint)
        if score >= NEAR_DUPLICATE_THRESHOLD and (best is None or score > best.similarity):
            best = NearDuplicate(candidate.id, candidate.body, candidate.cosign_count, score)
    return best


async def submit(
    uow: UnitOfWork,
    *,
    participant_id: int,
    round_id: int,
    stance: str,
    text: str,
    section_id: int | None = None,
    channel: str,
    attachments: list[dict[str, Any]] | None = None,
    author: ParticipantView | None = None,
) -> CommentView:
    """Store a comment; abusive wording holds it for a moderator instead of publishing.

    `author` is the participant when the caller has just read them in this transaction
    (the conversation has), which spares reading them again.
    """
    body = clean_body(text)
    if stance not in set(Stance):
        raise InvalidInput("comment.bad_stance")
    round_title = await _open_round(uow, round_id)
    section_label = await _check_section(uow, round_id, section_id)
    kind, organisation = await _respondent(uow, participant_id, author)
    moderation = Moderation.PENDING if is_abusive(body) else Moderation.VISIBLE
    created_at = uow.now()
    values = {
        "round_id": round_id, "section_id": section_id, "participant_id": participant_id,
        "channel": channel, "respondent_kind": kind, "organisation": organisation,
        "stance": stance, "body": body, "attachments": attachments or [],
        "moderation": moderation, "fingerprint": fingerprint(body), "created_at": created_at,
    }
    connection = await uow.session.connection()
    comment_id = (await connection.execute(_INSERT_COMMENT, values)).scalar_one()
    await connection.execute(
        _INSERT_BANDS,
        [{"comment_id": comment_id, "band": band, "round_id": round_id}
         for band in lsh_bands(body)],
    )
    return CommentView(
        id=comment_id, round_id=round_id, round_title=round_title, section_label=section_label,
        stance=stance, body=body, moderation=moderation, cosign_count=0,
        outcome=None, outcome_note=None, created_at=created_at,
    )


# Every comment runs these; built once and run on the connection, they cost a fraction of
# adding entities to the session and flushing them (bench/README.md, "Ingest").
_INSERT_COMMENT = insert(Comment).returning(Comment.id)
_INSERT_BANDS = insert(CommentBand)


async def _respondent(
    uow: UnitOfWork, participant_id: int, known: ParticipantView | None
) -> tuple[str, str | None]:
    """As whom the participant comments: their kind and organisation."""
    if known is not None and known.id == participant_id:
        return known.kind, known.organisation
    person = await uow.session.get(Participant, participant_id)
    if person is None or person.forgotten_at is not None:
        raise NotFound("participant.not_found")
    return person.kind, person.organisation


async def cosign(uow: UnitOfWork, *, participant_id: int, comment_id: int) -> int:
    """Add the participant's signature to a comment once; returns the new count."""
    comment = await uow.session.get(Comment, comment_id)
    if comment is None or comment.moderation != Moderation.VISIBLE:
        raise NotFound("comment.not_found")
    await _open_round(uow, comment.round_id)
    person = await uow.session.get(Participant, participant_id)
    if person is None:
        raise NotFound("participant.not_found")
    already = await uow.session.scalar(
        select(CoSignature.id).where(
            CoSignature.comment_id == comment_id, CoSignature.participant_id == participant_id
        )
    )
    if already is None and comment.participant_id != participant_id:
        uow.session.add(
            CoSignature(
                comment_id=comment_id,
                participant_id=participant_id,
                respondent_kind=person.kind,
                created_at=uow.now(),
            )
        )
        await uow.session.execute(
            update(Comment)
            .where(Comment.id == comment_id)
            .values(cosign_count=Comment.cosign_count + 1)
        )
    await uow.session.refresh(comment)
    return comment.cosign_count


def _comment_query() -> Select[Comment, str, str | None]:
    return (
        select(Comment, Round.title, Section.label)
        .join(Round, Round.id == Comment.round_id)
        .outerjoin(Section, Section.id == Comment.section_id)
    )


def _to_view(row: Comment, round_title: str, label: str | None) -> CommentView:
    return CommentView(
        id=row.id,
        round_id=row.round_id,
        round_title=round_title,
        section_label=label,
        stance=row.stance,
        body=row.body,
        moderation=row.moderation,
        cosign_count=row.cosign_count,
        outcome=row.outcome,
        outcome_note=row.outcome_note,
        created_at=row.created_at,
    )


async def get_comment(uow: UnitOfWork, comment_id: int) -> CommentView:
    result = (await uow.session.execute(_comment_query().where(Comment.id == comment_id))).first()
    if result is None:
        raise NotFound("comment.not_found")
    return _to_view(*result)


async def list_mine(uow: UnitOfWork, participant_id: int, limit: int = 10) -> list[CommentView]:
    """A participant's latest comments with what became of them."""
    query = (
        _comment_query()
        .where(Comment.participant_id == participant_id)
        .order_by(Comment.id.desc())
        .limit(limit)
    )
    return [_to_view(*result) for result in await uow.session.execute(query)]
