"""Recording what became of a comment: accepted, partly accepted or explained, with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consultations import comments, outcomes, participants
from consultations.errors import DomainError, InvalidInput, NotFound
from consultations.outcomes import NotAllowed
from storage.models import AuditEntry, Comment
from storage.uow import UnitOfWorkFactory
from tests.staff.conftest import GROUP, Setup, link_group, link_staff, said, send


async def _comment(uow_factory: UnitOfWorkFactory, round_id: int) -> int:
    async with uow_factory() as uow:
        person = await participants.grant_consent(uow, "telegram", "5001")
        made = await comments.submit(
            uow,
            participant_id=person.id,
            round_id=round_id,
            stance="suggest",
            text="Nên kéo dài thời hạn chuyển tiếp lên 12 tháng.",
            channel="telegram",
        )
        await uow.commit()
        return made.id


async def _row(uow_factory: UnitOfWorkFactory, comment_id: int) -> Comment:
    async with uow_factory() as uow:
        row = await uow.session.get(Comment, comment_id)
        assert row is not None
        return row


async def _set(
    uow_factory: UnitOfWorkFactory,
    comment_id: int,
    outcome: str,
    note: str | None,
    agency_id: int | None,
) -> None:
    async with uow_factory() as uow:
        await outcomes.set_outcome(
            uow, comment_id, outcome, note, agency_id=agency_id, actor="staff:test"
        )
        await uow.commit()


async def test_accepted_needs_no_reason_and_is_audit_logged(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    cid = await _comment(uow_factory, setup.round_id)

    await _set(uow_factory, cid, "accepted", None, setup.agency_id)

    row = await _row(uow_factory, cid)
    assert (row.outcome, row.outcome_note) == ("accepted", None)
    assert row.outcome_at is not None
    async with uow_factory() as uow:
        audit = (
            await uow.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "comment.outcome")
            )
        ).one()
    assert (audit.actor, audit.target, audit.details["outcome"]) == (
        "staff:test",
        f"comment:{cid}",
        "accepted",
    )


@pytest.mark.parametrize("outcome", ["partly_accepted", "explained"])
async def test_partly_accepted_and_explained_require_a_reason(
    uow_factory: UnitOfWorkFactory, setup: Setup, outcome: str
) -> None:
    cid = await _comment(uow_factory, setup.round_id)

    with pytest.raises(InvalidInput) as error:
        await _set(uow_factory, cid, outcome, "   ", setup.agency_id)
    await _set(uow_factory, cid, outcome, "Đã quy định tại Điều 3.", setup.agency_id)

    assert error.value.key == "outcome.note_required"
    assert (await _row(uow_factory, cid)).outcome_note == "Đã quy định tại Điều 3."


@pytest.mark.parametrize(
    ("comment_id", "outcome", "agency", "error_type", "key"),
    [
        (None, "rejected", "own", InvalidInput, "outcome.bad_value"),
        (999, "accepted", "own", NotFound, "comment.not_found"),
        (None, "accepted", "other", NotAllowed, "outcome.not_your_agency"),
    ],
)
async def test_outcomes_are_validated_and_scoped_to_the_agency(
    uow_factory: UnitOfWorkFactory,
    setup: Setup,
    comment_id: int | None,
    outcome: str,
    agency: str,
    error_type: type[DomainError],
    key: str,
) -> None:
    cid = await _comment(uow_factory, setup.round_id)
    agency_id = setup.agency_id if agency == "own" else setup.other_agency_id

    with pytest.raises(error_type) as error:
        await _set(uow_factory, comment_id or cid, outcome, "lý do", agency_id)

    assert error.value.key == key
    assert (await _row(uow_factory, cid)).outcome is None


async def test_an_admin_sets_outcomes_for_any_agency(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    cid = await _comment(uow_factory, setup.round_id)

    await _set(uow_factory, cid, "explained", "Ngoài phạm vi dự thảo.", None)

    assert (await _row(uow_factory, cid)).outcome == "explained"


async def test_staff_record_outcomes_by_command_in_vietnamese_or_english(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.staff_id, "7001")
    cid = await _comment(uow_factory, setup.round_id)

    done = await send(uow_factory, f"/ketqua {cid} tiếp_thu", sender="7001")
    assert f"Đã ghi kết quả cho góp ý số {cid}: tiếp thu." in said(done)
    assert (await _row(uow_factory, cid)).outcome == "accepted"

    english = await send(
        uow_factory, f"/outcome {cid} explained Out of scope.", sender="7001", locale="en-US"
    )
    assert f"Outcome recorded for comment no. {cid}: explained." in said(english)
    row = await _row(uow_factory, cid)
    assert (row.outcome, row.outcome_note) == ("explained", "Out of scope.")


async def test_outcome_commands_explain_what_is_wrong(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_group(uow_factory, setup.agency_id)
    cid = await _comment(uow_factory, setup.round_id)

    no_reason = await send(uow_factory, f"/outcome {cid} mot_phan", sender="8008", chat=GROUP)
    bad_word = await send(uow_factory, f"/outcome {cid} bác_bỏ vì sao", sender="8008", chat=GROUP)
    unknown = await send(uow_factory, "/outcome 999 tiep_thu", sender="8008", chat=GROUP)

    assert "Cần ghi lý do khi tiếp thu một phần hoặc giải trình" in said(no_reason)
    assert "Cách dùng: /outcome" in said(bad_word)
    assert "Không tìm thấy góp ý số này" in said(unknown)
    assert (await _row(uow_factory, cid)).outcome is None


async def test_staff_of_another_agency_cannot_record_outcomes(
    uow_factory: UnitOfWorkFactory, setup: Setup
) -> None:
    await link_staff(uow_factory, setup.other_staff_id, "7002")
    cid = await _comment(uow_factory, setup.round_id)

    outcome = await send(uow_factory, f"/outcome {cid} giai_trinh Lý do", sender="7002")

    assert "thuộc dự thảo của cơ quan khác" in said(outcome)
    assert (await _row(uow_factory, cid)).outcome is None
