"""Publishing outcomes: the round is reported and each person hears what became of theirs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from consultations import comments, participants, rounds
from consultations.errors import InvalidInput, InvalidState
from handlers.outcome_notes import NOTE_LIMIT, publish_outcomes
from storage.clock import FixedClock
from storage.models import AuditEntry, OutboxMessage
from storage.uow import UnitOfWorkFactory
from tests.reports.conftest import REASONS, Seeded, seed_round


async def _publish(uow_factory: UnitOfWorkFactory, round_id: int, missing_ok: int = 0) -> Any:
    async with uow_factory() as uow:
        result = await publish_outcomes(uow, round_id, "staff:lan", missing_ok=missing_ok)
        await uow.commit()
    return result


async def _notes(uow_factory: UnitOfWorkFactory) -> dict[tuple[str, str], OutboxMessage]:
    async with uow_factory() as uow:
        rows = await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return {(row.channel, row.recipient): row for row in rows}


async def test_each_commenter_gets_one_note_on_the_channel_they_used(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    result = await _publish(uow_factory, seeded.round_id)
    notes = await _notes(uow_factory)
    assert set(notes) == {
        ("telegram", "7001"),
        ("zalo", "z-8001"),
        ("telegram", "7101"),
        ("telegram", "7102"),
        ("webchat", "w-7103"),
        ("telegram", "7201"),
        ("webchat", "w-7202"),
    }, "A, B, the three petitioners and the two co-signers should each get exactly one note"
    assert (result.first_time, result.recipients, result.queued) == (True, 7, 7)
    a = notes[("telegram", "7001")]
    assert a.dedupe_key == f"outcomes:round:{seeded.round_id}:participant:{seeded.person['A']}"
    assert a.participant_id == seeded.person["A"]
    text = a.payload["text"]
    assert f"Góp ý số {seeded.comment['a1']} (Điều 2)" in text
    assert f"Tiếp thu một phần. Lý do: {REASONS['a1']}" in text, text
    assert f"Góp ý số {seeded.comment['a2']} (toàn bộ dự thảo)" in text and "Đã tiếp thu." in text
    assert "0912" not in text, "a note quoting a comment must not carry the phone number"
    assert len(text) <= NOTE_LIMIT
    assert [b["action"] for b in a.payload["buttons"][0]] == ["mine", "menu"]


async def test_a_note_is_in_the_persons_language(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    await _publish(uow_factory, seeded.round_id)
    text = (await _notes(uow_factory))[("zalo", "z-8001")].payload["text"]
    assert "Outcome of the consultation" in text
    assert f"Comment no. {seeded.comment['b1']} (Điều 1)" in text
    assert f"Explained. Reason: {REASONS['b1']}" in text


async def test_co_signers_hear_about_the_comments_they_co_signed(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    await _publish(uow_factory, seeded.round_id)
    notes = await _notes(uow_factory)
    d = notes[("telegram", "7201")].payload["text"]
    assert f"Góp ý số {seeded.comment['a1']} bạn đã đồng ký (Điều 2)" in d
    assert REASONS["a1"] in d
    e = notes[("webchat", "w-7202")].payload["text"]
    assert f"số {seeded.comment['a1']} bạn đã đồng ký" in e
    assert f"số {seeded.comment['c1']} bạn đã đồng ký" in e and REASONS["c"] in e


async def test_forgotten_unreachable_and_moderated_people_get_nothing(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    await _publish(uow_factory, seeded.round_id)
    skipped = {seeded.person[name] for name in ("F", "G", "H")}
    async with uow_factory() as uow:
        to_them = await uow.session.scalars(
            select(OutboxMessage.recipient).where(OutboxMessage.participant_id.in_(skipped))
        )
        assert list(to_them) == []
    recipients = {recipient for _, recipient in await _notes(uow_factory)}
    assert not recipients & {"7301", "7401", "7501"}, (
        "notes went to the forgotten, the unreachable or the author of an abusive comment"
    )


async def test_publishing_again_sends_nothing_new(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    await _publish(uow_factory, seeded.round_id)
    again = await _publish(uow_factory, seeded.round_id)
    assert (again.first_time, again.queued) == (False, 0)
    assert len(await _notes(uow_factory)) == 7
    async with uow_factory() as uow:
        status = (await rounds.get_round(uow, seeded.round_id)).status
        published = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "round.outcomes_published")
        )
        assert status == "reported" and len(list(published)) == 1


async def test_undecided_comments_block_publishing_unless_counted_exactly(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    seeded = await seed_round(uow_factory, clock, open_round, decide=False)
    with pytest.raises(InvalidState) as blocked:
        await _publish(uow_factory, seeded.round_id)
    assert (blocked.value.key, blocked.value.params) == ("report.outcomes_missing", {"missing": 8})
    with pytest.raises(InvalidInput) as wrong:
        await _publish(uow_factory, seeded.round_id, missing_ok=3)
    assert wrong.value.params == {"missing": 8, "stated": 3}
    assert await _notes(uow_factory) == {}, "a refused publication queued notes"
    result = await _publish(uow_factory, seeded.round_id, missing_ok=8)
    assert result.missing == 8 and result.queued == 7
    text = (await _notes(uow_factory))[("telegram", "7001")].payload["text"]
    assert "chưa ghi kết quả xem xét" in text


async def test_an_open_round_cannot_be_published(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    with pytest.raises(InvalidState) as refused:
        await _publish(uow_factory, open_round)
    assert refused.value.key == "report.round_not_closed"


async def test_a_prolific_commenter_gets_a_short_note_that_counts_the_rest(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    async with uow_factory() as uow:
        person = await participants.grant_consent(uow, "telegram", "6001")
        for n in range(8):
            clock.advance(timedelta(minutes=1))
            await comments.submit(
                uow,
                participant_id=person.id,
                round_id=open_round,
                stance="other",
                text=f"Ý kiến thứ {n + 1}: " + "đề nghị làm rõ quy trình thẩm định hồ sơ. " * 8,
                channel="telegram",
            )
        await rounds.close(uow, open_round, actor="test", override_reason="thử")
        await uow.commit()
    await _publish(uow_factory, open_round, missing_ok=8)
    text = (await _notes(uow_factory))[("telegram", "6001")].payload["text"]
    shown = text.count("• Góp ý số")
    assert 1 <= shown <= 5 and f"… và {8 - shown} góp ý khác" in text, text
    assert len(text) <= NOTE_LIMIT
