"""Sample data for `consultbot demo`: a provincial agency and an open round."""

from __future__ import annotations

from dataclasses import dataclass

from consultations import agencies, rounds, sections, staff
from consultations.samples import sample_draft_text
from storage import secrets
from storage.uow import UnitOfWork

DEMO_AGENCY = "VP-UBND"
DEMO_TITLE = (
    "Dự thảo Quyết định ban hành Quy định về tiếp nhận, xử lý phản ánh, kiến nghị của người "
    "dân và doanh nghiệp qua nền tảng số trên địa bàn tỉnh Minh Sơn"
)
DEMO_SUMMARY = (
    "Văn phòng UBND tỉnh Minh Sơn lấy ý kiến nhân dân và doanh nghiệp về dự thảo quy định việc "
    "tiếp nhận, xử lý phản ánh, kiến nghị qua nền tảng số: các kênh tiếp nhận, thời hạn xử lý, "
    "công khai kết quả và trách nhiệm của cơ quan, đơn vị. (Dữ liệu mẫu để dùng thử.)"
)


DEMO_ADMIN = "admin"


@dataclass(frozen=True)
class Demo:
    """What the demo prints: the open round and the console account to try."""

    round_id: int
    admin_login: str
    admin_password: str


async def seed_with_console(uow: UnitOfWork) -> Demo:
    """The sample round, plus a console admin whose password is generated once and kept."""
    round_id = await seed(uow)
    password = (await secrets.get_or_create(uow, "demo_admin_password"))[:16]
    if await staff.find_staff_id(uow, DEMO_ADMIN) is None:
        await staff.create_staff(
            uow,
            login=DEMO_ADMIN,
            display_name="Quản trị thử",
            role="admin",
            password=password,
            agency_id=None,
            actor="demo",
        )
    return Demo(round_id, DEMO_ADMIN, password)


async def seed(uow: UnitOfWork) -> int:
    """Create the sample agency and open round once; returns the round id (idempotent)."""
    agency = await agencies.find_agency_by_code(uow, DEMO_AGENCY)
    if agency is not None:
        existing = [r for r in await rounds.list_rounds(uow) if r.agency_id == agency.id]
        if existing:
            return existing[0].id
    else:
        agency = await agencies.add_agency(
            uow,
            DEMO_AGENCY,
            "Văn phòng Ủy ban nhân dân tỉnh Minh Sơn",
            name_en="Office of the Minh Son Provincial People's Committee",
            actor="demo",
        )
    created = await rounds.create_round(
        uow,
        agency_id=agency.id,
        title=DEMO_TITLE,
        summary=DEMO_SUMMARY,
        document_type="business",
        audience="Người dân, doanh nghiệp trên địa bàn tỉnh",
        actor="demo",
    )
    await sections.import_draft(uow, created.id, sample_draft_text(), actor="demo")
    await rounds.open_now(uow, created.id, actor="demo")
    return created.id
