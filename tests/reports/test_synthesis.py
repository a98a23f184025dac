"""The synthesis table as data, on the seeded round whose answers are known (see conftest)."""

from __future__ import annotations

from consultations import reports
from consultations.reports import SynthesisRow
from storage.clock import FixedClock
from storage.uow import UnitOfWorkFactory
from tests.reports.conftest import (
    FORMULA_TEXT,
    HTML_TEXT,
    ORGANISATION,
    REASONS,
    Seeded,
    seed_round,
)


async def _table(
    uow_factory: UnitOfWorkFactory, round_id: int
) -> tuple[reports.Synthesis, list[SynthesisRow]]:
    async with uow_factory() as uow:
        return await reports.synthesis_table(uow, round_id)


def _by_id(rows: list[SynthesisRow]) -> dict[int, SynthesisRow]:
    return {row.comment_id: row for row in rows}


async def test_rows_follow_the_draft_and_fold_the_petition_into_its_first_copy(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    _, rows = await _table(uow_factory, seeded.round_id)
    c = seeded.comment
    order = [row.comment_id for row in rows]
    assert order == [c["a2"], c["b1"], c["g1"], c["a1"], c["h1"], c["c1"]], (
        "rows should run whole draft, Điều 1, 2, 3 (earliest first), with the petition's "
        f"later copies folded and the abusive comment left out; got {order}"
    )
    assert [row.ordinal for row in rows] == [1, 2, 3, 4, 5, 6]
    petition = _by_id(rows)[c["c1"]]
    assert (petition.near_duplicates, petition.cosignatures, petition.similar) == (2, 1, 3), (
        "the petition's line should stand for its 2 near-duplicate copies and 1 co-signature"
    )
    assert petition.article == "Điều 3. Hiệu lực thi hành"
    assert (petition.outcome, petition.reason) == ("explained", REASONS["c"])


async def test_co_signatures_are_counted_on_the_comment_they_support(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    _, rows = await _table(uow_factory, seeded.round_id)
    a1 = _by_id(rows)[seeded.comment["a1"]]
    assert (a1.near_duplicates, a1.cosignatures) == (0, 2)
    assert (a1.outcome, a1.reason) == ("partly_accepted", REASONS["a1"])


async def test_commenter_is_the_organisation_for_a_business_and_no_name_for_a_citizen(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    _, rows = await _table(uow_factory, seeded.round_id)
    by_id = _by_id(rows)
    assert by_id[seeded.comment["b1"]].commenter == ORGANISATION
    assert {by_id[seeded.comment[n]].commenter for n in ("a1", "a2", "g1", "h1", "c1")} == {
        "Công dân"
    }
    assert by_id[seeded.comment["a2"]].article == "Toàn bộ dự thảo"


async def test_personal_data_is_redacted_and_markup_is_kept_as_typed(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    _, rows = await _table(uow_factory, seeded.round_id)
    by_id = _by_id(rows)
    a1 = by_id[seeded.comment["a1"]].comment
    assert "0912" not in a1 and "example.com" not in a1, f"PII left in the report: {a1!r}"
    assert "[số điện thoại]" in a1 and "[email]" in a1
    assert by_id[seeded.comment["a2"]].comment == HTML_TEXT, "markup must stay literal text"
    assert by_id[seeded.comment["b1"]].comment == FORMULA_TEXT, (
        "the data keeps the text as typed; only spreadsheet cells are neutralised"
    )


async def test_header_counts_comments_people_and_what_was_left_out(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    synthesis, _ = await _table(uow_factory, seeded.round_id)
    header = synthesis.header
    assert (header.comments, header.rows, header.near_duplicates, header.cosignatures) == (
        8,
        6,
        2,
        3,
    )
    assert header.excluded == {"abusive": 1}
    assert header.respondents == {"citizen": 8, "business": 1}, (
        "7 citizens commented or co-signed, plus the forgotten one counted anonymously, "
        f"and one business; got {header.respondents}"
    )
    assert header.outcomes == {"accepted": 2, "partly_accepted": 1, "explained": 5}
    assert (header.title, header.agency_name, header.status) == (
        "Dự thảo Quyết định thử nghiệm",
        "Sở Thử nghiệm tỉnh Minh Sơn",
        "closed",
    )


async def test_every_article_is_summarised_by_stance_and_outcome(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    synthesis, _ = await _table(uow_factory, seeded.round_id)
    summary = {(a.label, a.comments, a.cosignatures): a for a in synthesis.articles}
    assert list(summary) == [
        (None, 1, 0),
        ("Điều 1", 2, 0),
        ("Điều 2", 2, 2),
        ("Điều 3", 3, 1),
    ], f"per-article counts are wrong: {list(summary)}"
    article_2 = synthesis.articles[2]
    assert article_2.by_stance == {"suggest": 1, "other": 1}, "the abusive comment was counted"
    assert article_2.by_outcome == {"partly_accepted": 1, "explained": 1}


async def test_undecided_comments_are_pending_and_split_from_decided_copies(
    uow_factory: UnitOfWorkFactory, open_round: int, clock: FixedClock
) -> None:
    seeded = await seed_round(uow_factory, clock, open_round, decide=False)
    synthesis, rows = await _table(uow_factory, seeded.round_id)
    assert synthesis.header.outcomes == {"pending": 8}
    assert _by_id(rows)[seeded.comment["c1"]].outcome is None
    assert _by_id(rows)[seeded.comment["c1"]].near_duplicates == 2
