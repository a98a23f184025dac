"""Round lifecycle: periods the law sets, early closing only with a reason, sweeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consultations import agencies, rounds, sections
from consultations.errors import InvalidInput, InvalidState
from storage.clock import FixedClock
from storage.models import AuditEntry
from storage.uow import UnitOfWorkFactory
from tests.conftest import SHORT_DRAFT


async def _draft_round(uow_factory: UnitOfWorkFactory, **kwargs: object) -> int:
    async with uow_factory() as uow:
        agency = await agencies.add_agency(uow, "SO-A", "Sở A")
        made = await rounds.create_round(
            uow, agency_id=agency.id, title="Dự thảo A", document_type="business", **kwargs  # type: ignore[arg-type]
        )
        await sections.import_draft(uow, made.id, SHORT_DRAFT, actor="test")
        await uow.commit()
        return made.id


async def test_period_shorter_than_the_legal_minimum_is_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    start = clock.now()
    with pytest.raises(InvalidInput) as refused:
        await _draft_round(uow_factory, opens_at=start, closes_at=start + timedelta(days=59))
    assert refused.value.key == "round.period_too_short"
    assert refused.value.params["days"] == 60


async def test_minimum_period_is_configurable_per_document_type(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        await rounds.set_minimum_days(uow, "business", 30, actor="admin:1")
        await uow.commit()
    start = clock.now()
    round_id = await _draft_round(uow_factory, opens_at=start, closes_at=start + timedelta(days=30))
    assert round_id > 0


async def test_scheduled_round_opens_and_closes_by_sweep(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    start = clock.now() + timedelta(days=1)
    round_id = await _draft_round(uow_factory, opens_at=start, closes_at=start + timedelta(days=60))
    async with uow_factory() as uow:
        assert (await rounds.schedule(uow, round_id, actor="t")).status == "scheduled"
        await uow.commit()
    clock.advance(timedelta(days=1))
    async with uow_factory() as uow:
        assert await rounds.sweep(uow) == ([round_id], [])
        await uow.commit()
    clock.advance(timedelta(days=60))
    async with uow_factory() as uow:
        assert await rounds.sweep(uow) == ([], [round_id])
        await uow.commit()
    async with uow_factory() as uow:
        assert (await rounds.get_round(uow, round_id)).status == "closed"
        assert await rounds.sweep(uow) == ([], []), "a second sweep must change nothing"


async def test_closing_early_needs_a_reason_which_is_audited(
    uow_factory: UnitOfWorkFactory,
) -> None:
    round_id = await _draft_round(uow_factory)
    async with uow_factory() as uow:
        await rounds.open_now(uow, round_id, actor="admin:1")
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(InvalidInput):
            await rounds.close(uow, round_id, actor="admin:1")
        await rounds.close(uow, round_id, actor="admin:1", override_reason="Luật thay đổi")
        await uow.commit()
    async with uow_factory() as uow:
        entry = await uow.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "round.close"))
        assert entry is not None and entry.details == {"early": True, "reason": "Luật thay đổi"}
        with pytest.raises(InvalidState):
            await rounds.open_now(uow, round_id, actor="admin:1")


async def test_round_without_a_draft_cannot_open(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        agency = await agencies.add_agency(uow, "SO-B", "Sở B")
        made = await rounds.create_round(uow, agency_id=agency.id, title="Trống",
                                         document_type="legal")
        with pytest.raises(InvalidState) as refused:
            await rounds.open_now(uow, made.id, actor="t")
    assert refused.value.key == "round.no_draft"


async def test_draft_is_locked_once_the_round_opens(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    async with uow_factory() as uow:
        with pytest.raises(InvalidState):
            await sections.import_draft(uow, open_round, SHORT_DRAFT, actor="t")
        articles = await sections.list_articles(uow, open_round)
    assert [a.label for a in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert "b) Hộ kinh doanh." in articles[1].body
