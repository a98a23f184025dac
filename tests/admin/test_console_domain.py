"""The console's domain rules without HTTP: lock-out windows, round edits, announcements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from consultations import participants, rounds, staff, subscriptions
from consultations.console import announce, signin
from consultations.console import rounds as console_rounds
from consultations.console.numbering import format_number
from consultations.errors import InvalidInput, InvalidState
from consultations.vocab import Purpose
from storage.clock import FixedClock
from storage.uow import UnitOfWorkFactory

PASSWORD = "mat-khau-dai-10"


async def _try(uow_factory: UnitOfWorkFactory, password: str, addr: str = "192.0.2.1"
               ) -> signin.SignInResult:
    async with uow_factory() as uow:
        result = await signin.sign_in(uow, "lan", password, addr)
        await uow.commit()
        return result


@pytest.fixture
async def lan(uow_factory: UnitOfWorkFactory, open_round: int) -> int:
    async with uow_factory() as uow:
        made = await rounds.get_round(uow, open_round)
        staff_id = await staff.create_staff(uow, login="lan", display_name="Lan",
                                            role="agency_staff", password=PASSWORD,
                                            agency_id=made.agency_id, actor="test")
        await uow.commit()
        return staff_id


async def test_failures_spread_over_more_than_the_window_do_not_lock(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, lan: int
) -> None:
    for _ in range(signin.LOGIN_LIMIT * 2):
        result = await _try(uow_factory, "sai-mat-khau")
        assert result.locked_until is None, "a slow typist is never locked out"
        clock.advance(signin.WINDOW / (signin.LOGIN_LIMIT - 1) + timedelta(seconds=1))


async def test_a_locked_login_is_not_checked_and_not_counted(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, lan: int
) -> None:
    for _ in range(signin.LOGIN_LIMIT):
        result = await _try(uow_factory, "sai-mat-khau")
    assert result.locked_until == clock.now() + signin.LOCK
    ends = result.locked_until
    clock.advance(timedelta(minutes=10))
    again = await _try(uow_factory, "sai-mat-khau")
    assert again.locked_until == ends, "trying during a lock does not extend it"
    clock.advance(timedelta(minutes=6))
    assert (await _try(uow_factory, PASSWORD)).user is not None


async def test_attempts_older_than_a_day_are_forgotten(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, lan: int
) -> None:
    from sqlalchemy import func, select

    from storage.models import LoginAttempt

    await _try(uow_factory, "sai-mat-khau")
    clock.advance(signin.KEEP + timedelta(minutes=1))
    await _try(uow_factory, "sai-mat-khau")
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(LoginAttempt)) == 1


async def test_closed_rounds_cannot_be_edited_and_scheduled_ones_keep_their_dates(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    async with uow_factory() as uow:
        detail = await console_rounds.round_detail(uow, open_round)
        await rounds.close(uow, open_round, actor="test", override_reason="Thử")
        fields = console_rounds.RoundFields(
            title="Mới", summary="", audience="", document_type=detail.document_type,
            agency_id=detail.agency_id, opens_at=detail.opens_at, closes_at=detail.closes_at)
        with pytest.raises(InvalidState) as refused:
            await console_rounds.update_round(uow, open_round, fields, actor="test")
        assert refused.value.key == "round.edit_locked"
        made = await rounds.create_round(
            uow, agency_id=detail.agency_id, title="Lịch", document_type="legal",
            opens_at=datetime(2026, 12, 1, tzinfo=UTC), closes_at=datetime(2027, 1, 1, tzinfo=UTC))
        from consultations import sections
        from tests.conftest import SHORT_DRAFT

        await sections.import_draft(uow, made.id, SHORT_DRAFT, actor="test")
        await rounds.schedule(uow, made.id, actor="test")
        undated = console_rounds.RoundFields(
            title="Lịch", summary="", audience="", document_type="legal",
            agency_id=detail.agency_id, opens_at=None, closes_at=None)
        with pytest.raises(InvalidInput) as refused_dates:
            await console_rounds.update_round(uow, made.id, undated, actor="test")
        assert refused_dates.value.key == "round.dates_required"


async def test_a_large_announcement_goes_in_batches_and_resumes_after_a_crash(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    for n in range(7):
        async with uow_factory() as uow:
            person = await participants.grant_consent(uow, "zalo", f"z{n}", Purpose.NOTIFY)
            await subscriptions.follow(uow, person.id, "all")
            await uow.commit()

    def payload(locale: str) -> dict[str, Any]:
        return {"text": f"hello {locale}", "buttons": []}

    async with uow_factory() as uow:  # the first batch is committed, then the process dies
        queued, last = await announce.announce_batch(uow, open_round, payload, actor="t",
                                                     batch_size=3)
        await uow.commit()
    assert (queued, last is not None) == (3, True)
    after, total = 0, 0
    while True:  # pressed again: starts over, the dedupe keys skip the three already queued
        async with uow_factory() as uow:
            added, next_after = await announce.announce_batch(
                uow, open_round, payload, actor="t", after_id=after, batch_size=3)
            await uow.commit()
        total += added
        if next_after is None:
            break
        after = next_after
    assert total == 4
    async with uow_factory() as uow:
        progress = await announce.progress(uow, open_round)
    assert (progress.followers, progress.by_status) == (7, {"pending": 7})


@pytest.mark.parametrize(("number", "fmt", "shown"), [
    (4, "decimal", "4"), (4, "lowerLetter", "d"), (27, "lowerLetter", "aa"),
    (14, "upperRoman", "XIV"), (9, "lowerRoman", "ix"), (2, "upperLetter", "B"),
])
def test_word_list_numbers_are_written_as_word_shows_them(number: int, fmt: str, shown: str
                                                          ) -> None:
    assert format_number(number, fmt) == shown


async def test_an_operator_can_lift_a_lock_and_set_a_password(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, lan: int
) -> None:
    from consultations.console import accounts

    for _ in range(signin.LOGIN_LIMIT):
        await _try(uow_factory, "sai-mat-khau")
    async with uow_factory() as uow:
        assert await accounts.unlock(uow, "Lan", actor="cli") == signin.LOGIN_LIMIT
        await accounts.set_password(uow, "lan", "mot-mat-khau-moi", actor="cli")
        await uow.commit()
    assert (await _try(uow_factory, "mot-mat-khau-moi")).user is not None, "unlocked, new password"
    with pytest.raises(InvalidInput):
        async with uow_factory() as uow:
            await accounts.set_password(uow, "lan", "ngan", actor="cli")
