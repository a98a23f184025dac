"""Near-duplicate folding: who represents whom, with fingerprints chosen bit by bit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consultations import reports
from consultations.reports.grouping import Grouping
from consultations.text import similarity
from storage.clock import FixedClock
from storage.models import Comment, CommentBand, Section
from storage.uow import UnitOfWorkFactory
from tests.reports.conftest import PETITION, PETITION_GREETING, PETITION_SIGNED, seed_people


def _fp(bits: int) -> str:
    """A fingerprint whose lowest `bits` bits are set: `bits` differ from the all-zero one."""
    return f"{(1 << bits) - 1:016x}"


async def _insert(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    round_id: int,
    specs: list[tuple[str, str, str]],
    *,
    section: str | None = None,
    moderation: str = "visible",
) -> list[int]:
    """Comments with given fingerprints, stances and band keys, a minute apart."""
    ids = []
    async with uow_factory() as uow:
        section_id = None
        if section:
            section_id = await uow.session.scalar(
                select(Section.id).where(Section.round_id == round_id, Section.label == section)
            )
        for fingerprint, stance, band in specs:
            clock.advance(timedelta(minutes=1))
            row = Comment(
                round_id=round_id,
                section_id=section_id,
                participant_id=None,
                channel="webchat",
                respondent_kind="citizen",
                stance=stance,
                body=f"text {fingerprint}",
                moderation=moderation,
                fingerprint=fingerprint,
                created_at=clock.now(),
            )
            uow.session.add(row)
            await uow.session.flush()
            uow.session.add(CommentBand(comment_id=row.id, band=band, round_id=round_id))
            ids.append(row.id)
        await uow.commit()
    return ids


async def _group(uow_factory: UnitOfWorkFactory, round_id: int) -> Grouping:
    async with uow_factory() as uow:
        return await reports.group_near_duplicates(uow, round_id)


async def test_a_comment_joins_only_a_group_whose_first_comment_it_resembles(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    first, close, far = await _insert(
        uow_factory,
        clock,
        open_round,
        [(_fp(0), "suggest", "0:a"), (_fp(12), "suggest", "0:a"), (_fp(24), "suggest", "0:a")],
    )
    assert similarity(_fp(12), _fp(24)) >= 0.75 > similarity(_fp(0), _fp(24))
    grouping = await _group(uow_factory, open_round)
    assert grouping.is_folded(close) and not grouping.is_folded(far), (
        "the third comment resembles the second but not the group's first: groups must not chain"
    )
    assert (grouping.near_duplicates(first), grouping.near_duplicates(far)) == (1, 0)


async def test_a_comment_joins_the_most_similar_group_and_the_earliest_on_a_tie(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    loose, tight, closer_to_tight, equally_close = await _insert(
        uow_factory,
        clock,
        open_round,
        [(_fp(b), "other", "1:b") for b in (20, 0, 9, 10)],
    )
    grouping = await _group(uow_factory, open_round)
    assert not grouping.is_folded(tight), "the two leaders are 20 bits apart: separate groups"
    assert grouping.is_folded(closer_to_tight) and grouping.is_folded(equally_close)
    assert (grouping.near_duplicates(loose), grouping.near_duplicates(tight)) == (1, 1), (
        "9 bits from one leader and 11 from the other should join the nearer; "
        "10 from both should join the earlier"
    )


async def test_copies_on_another_article_or_with_another_stance_stay_apart(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    await _insert(uow_factory, clock, open_round, [(_fp(0), "suggest", "2:c")])
    await _insert(uow_factory, clock, open_round, [(_fp(0), "suggest", "2:c")], section="Điều 1")
    await _insert(uow_factory, clock, open_round, [(_fp(0), "oppose", "2:c")])
    grouping = await _group(uow_factory, open_round)
    assert grouping.folded_count == 0, (
        f"identical texts on different articles or stances were folded: {list(grouping.folded)}"
    )


async def test_comments_that_share_no_band_are_never_compared(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    await _insert(
        uow_factory, clock, open_round, [(_fp(0), "suggest", "3:d"), (_fp(0), "suggest", "3:e")]
    )
    grouping = await _group(uow_factory, open_round)
    assert grouping.folded_count == 0, "candidates must come from shared band keys only"


async def test_a_hidden_first_copy_does_not_represent_the_visible_ones(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    await _insert(uow_factory, clock, open_round, [(_fp(0), "suggest", "4:f")], moderation="hidden")
    first, second = await _insert(
        uow_factory, clock, open_round, [(_fp(1), "suggest", "4:f"), (_fp(2), "suggest", "4:f")]
    )
    grouping = await _group(uow_factory, open_round)
    assert not grouping.is_folded(first) and grouping.is_folded(second)
    assert grouping.near_duplicates(first) == 1


async def test_a_campaign_of_forty_copies_becomes_one_line(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    """Real texts through the real submit path: greetings, signatures and phones vary."""
    from consultations import comments, participants

    variants = [PETITION, PETITION_GREETING, PETITION_SIGNED]
    async with uow_factory() as uow:
        await seed_people(uow)
        ids = []
        for n in range(40):
            person = await participants.grant_consent(uow, "telegram", f"9{n:03d}")
            clock.advance(timedelta(seconds=30))
            text = variants[n % 3].replace("Minh Sơn", "Minh Sơn" if n % 2 else "Minh  Sơn")
            made = await comments.submit(
                uow,
                participant_id=person.id,
                round_id=open_round,
                stance="suggest",
                text=text,
                channel="telegram",
            )
            ids.append(made.id)
        await uow.commit()
    synthesis, rows = await _table(uow_factory, open_round)
    assert [(row.comment_id, row.near_duplicates) for row in rows] == [(ids[0], 39)], (
        f"forty copies of one petition should make one line standing for 39 others: {rows}"
    )
    assert synthesis.header.rows == 1 and synthesis.header.near_duplicates == 39


async def _table(
    uow_factory: UnitOfWorkFactory, round_id: int
) -> tuple[reports.Synthesis, list[reports.SynthesisRow]]:
    async with uow_factory() as uow:
        return await reports.synthesis_table(uow, round_id)
