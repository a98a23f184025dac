"""A round's draft: importing it into sections and reading it article by article."""

from __future__ import annotations

from sqlalchemy import delete, select

from consultations import audit
from consultations.drafts import DraftParseError, parse_draft
from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.views import SectionView
from consultations.vocab import RoundStatus
from storage.models import Round, Section
from storage.uow import UnitOfWork

ARTICLE = "article"


async def import_draft(uow: UnitOfWork, round_id: int, text: str, *, actor: str) -> int:
    """Replace a round's sections with those parsed from `text`; returns the article count.

    Only before the round opens: once people comment on Điều 5, renumbering the
    draft under them would change what they said.
    """
    row = await uow.session.get(Round, round_id)
    if row is None:
        raise NotFound("round.not_found")
    if row.status not in (RoundStatus.DRAFT, RoundStatus.SCHEDULED):
        raise InvalidState("round.draft_locked")
    try:
        parsed = parse_draft(text)
    except DraftParseError as error:
        raise InvalidInput(error.message_key, detail=error.detail) from error
    await uow.session.execute(delete(Section).where(Section.round_id == round_id))
    for section in parsed.sections:
        uow.session.add(
            Section(
                round_id=round_id,
                ordinal=section.ordinal,
                kind=section.kind,
                label=section.label,
                number=section.number,
                heading=section.heading,
                body=section.body,
                path=" › ".join(section.path),
            )
        )
    row.draft_original = parsed.original
    row.preamble = parsed.preamble
    await uow.session.flush()
    articles = len(parsed.articles)
    audit.record(
        uow, actor, "round.import_draft", f"round:{round_id}", details={"articles": articles}
    )
    return articles


def _view(section: Section) -> SectionView:
    return SectionView(
        id=section.id,
        round_id=section.round_id,
        ordinal=section.ordinal,
        kind=section.kind,
        label=section.label,
        heading=section.heading,
        body=section.body,
        path=section.path,
    )


async def list_articles(uow: UnitOfWork, round_id: int) -> list[SectionView]:
    """The articles (Điều) of a round in document order: what citizens read and comment on."""
    rows = await uow.session.scalars(
        select(Section)
        .where(Section.round_id == round_id, Section.kind == ARTICLE)
        .order_by(Section.ordinal)
    )
    return [_view(row) for row in rows]


async def get_article(uow: UnitOfWork, round_id: int, section_id: int) -> SectionView:
    """One article of this round; an id from another round is treated as unknown."""
    row = await uow.session.get(Section, section_id)
    if row is None or row.round_id != round_id or row.kind != ARTICLE:
        raise NotFound("section.not_found")
    return _view(row)


async def find_article_by_number(uow: UnitOfWork, round_id: int, number: str) -> SectionView | None:
    """The article a citizen names by number ("điều 2", "dieu 2a")."""
    row = await uow.session.scalar(
        select(Section).where(
            Section.round_id == round_id,
            Section.kind == ARTICLE,
            Section.number == number.strip().lower(),
        )
    )
    return None if row is None else _view(row)
