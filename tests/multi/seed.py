"""One agency with an open round, a digest every minute, and a staff member on Telegram."""

from __future__ import annotations

from dataclasses import dataclass

from consultations import agencies, rounds, sections, staff, staff_links
from consultations.digests import schedule
from storage.uow import UnitOfWorkFactory
from tests.conftest import SHORT_DRAFT

STAFF_CHAT = 5550001
EVERY_MINUTE = "* * * * *"


@dataclass(frozen=True)
class Seeded:
    agency_id: int
    round_id: int


async def seed(uows: UnitOfWorkFactory) -> Seeded:
    """What the instances serve: comments come in, digests go out every minute, even empty."""
    async with uows() as uow:
        agency = await agencies.add_agency(uow, "SO-MULTI", "Sở Nhiều Máy tỉnh Minh Sơn")
        made = await rounds.create_round(
            uow, agency_id=agency.id, title="Dự thảo chạy trên nhiều máy",
            document_type="business", summary="Tóm tắt dự thảo.",
        )
        await sections.import_draft(uow, made.id, SHORT_DRAFT, actor="test")
        await rounds.open_now(uow, made.id, actor="test")
        await schedule.set_schedule(
            uow, agency.id, daily_cron=EVERY_MINUTE, no_weekly=True, send_empty=True, actor="test"
        )
        staff_id = await staff.create_staff(
            uow, login="lan", display_name="Lan", role="agency_staff", password=None,
            agency_id=agency.id, actor="test",
        )
        await uow.commit()
    async with uows() as uow:
        code = await staff_links.issue_code(uow, staff_id=staff_id, actor="test")
        await staff_links.redeem(
            uow, code, channel="telegram", sender_ref=str(STAFF_CHAT),
            chat_ref=str(STAFF_CHAT), is_group=False,
        )
        await uow.commit()
    return Seeded(agency.id, made.id)
