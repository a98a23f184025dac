"""Agencies and their digest destinations."""

from __future__ import annotations

from sqlalchemy import select

from consultations import audit
from consultations.errors import InvalidInput, NotFound
from consultations.text import normalize_line
from consultations.views import AgencyView
from storage.models import Agency
from storage.uow import UnitOfWork


def _view(agency: Agency) -> AgencyView:
    return AgencyView(id=agency.id, code=agency.code, name=agency.name, name_en=agency.name_en)


async def add_agency(
    uow: UnitOfWork, code: str, name: str, *, name_en: str | None = None, actor: str = "system"
) -> AgencyView:
    """Create an agency; its code is what operators type (`digest send --agency CODE`)."""
    code = code.strip().upper()
    name = normalize_line(name)
    if not code or not code.replace("-", "").replace("_", "").isalnum() or len(code) > 32:
        raise InvalidInput("agency.bad_code", code=code)
    if not name:
        raise InvalidInput("agency.name_required")
    if await uow.session.scalar(select(Agency.id).where(Agency.code == code)) is not None:
        raise InvalidInput("agency.code_taken", code=code)
    agency = Agency(code=code, name=name, name_en=name_en, created_at=uow.now())
    uow.session.add(agency)
    await uow.session.flush()
    audit.record(uow, actor, "agency.add", f"agency:{agency.id}", details={"code": code})
    return _view(agency)


async def get_agency(uow: UnitOfWork, agency_id: int) -> AgencyView:
    agency = await uow.session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("agency.not_found")
    return _view(agency)


async def find_agency_by_code(uow: UnitOfWork, code: str) -> AgencyView | None:
    agency = await uow.session.scalar(select(Agency).where(Agency.code == code.strip().upper()))
    return None if agency is None else _view(agency)
