"""An agency officer in headless Chromium: log in, create a round from a .docx, preview it,
open it, close it early with a reason. Screenshots go to docs/screenshots/ for the guide."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Dialog, Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from consultations.console import rounds as console_rounds
from storage.clock import FixedClock
from storage.engine import session_factory
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import PASSWORD, seed_people, settings_for
from tests.admin.docx_files import market_draft
from tests.browser.conftest import SHOTS, VIEWPORTS

pytestmark = pytest.mark.browser
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
async def server(
    db_url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, open_round: int,
    clock: FixedClock,
) -> AsyncIterator[str]:
    if not db_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the browser")
    await seed_people(uow_factory, open_round)
    runtime = Runtime(settings_for(db_url), clock)
    await runtime.start()
    yield runtime.url
    await runtime.stop()


async def _shot(page: Page, name: str, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"admin-{name}-{width}.png"), full_page=True)


async def _accept(dialog: Dialog) -> None:
    await dialog.accept()


async def _log_in(page: Page, server: str, width: str) -> None:
    await page.goto(f"{server}/admin/")
    await expect(page.get_by_role("heading", name="Đăng nhập trang quản trị")).to_be_visible()
    await _shot(page, "login", width)
    await page.get_by_label("Tên đăng nhập").fill("lan")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("heading", name="Đợt lấy ý kiến", exact=True)).to_be_visible()


async def _create_round(page: Page, width: str) -> None:
    await page.get_by_role("link", name="+ Tạo đợt mới").click()
    await page.get_by_label("Tên dự thảo").fill("Dự thảo Quy định quản lý chợ <tỉnh Minh Sơn>")
    await page.get_by_label("Tóm tắt").fill(
        "Quy định về phân hạng chợ, ban quản lý chợ và quyền, nghĩa vụ của thương nhân.")
    await page.get_by_label("Đối tượng lấy ý kiến").fill("Thương nhân, hộ kinh doanh tại chợ")
    await page.get_by_label("Loại văn bản").select_option("legal")
    await page.get_by_label("Kết thúc lấy ý kiến").fill("2027-01-15T17:00")
    await _shot(page, "round-new", width)
    await page.get_by_role("button", name="Tạo và nhập dự thảo").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã tạo đợt lấy ý kiến")


async def _import_docx(page: Page, width: str) -> None:
    await page.get_by_label("Tệp Word (.docx)").set_input_files(
        files=[{"name": "du-thao-quy-dinh-cho.docx", "mimeType": DOCX, "buffer": market_draft()}])
    await page.get_by_role("button", name="Xem trước").click()
    preview = page.get_by_role("region", name="Xem trước: người dân sẽ đọc")
    await expect(preview).to_contain_text("Tìm thấy 4 điều")
    await expect(preview).to_contain_text("Điều 3. Giải thích từ ngữ")
    box = page.get_by_label("Hoặc dán nội dung")
    corrected = (await box.input_value()).replace("Giải thích từ ngữ", "Giải thích từ ngữ chung")
    await box.fill(corrected)
    await page.get_by_role("button", name="Xem trước").click()
    await expect(preview).to_contain_text("Điều 3. Giải thích từ ngữ chung")
    await _shot(page, "draft-preview", width)
    await page.get_by_role("button", name="Lưu dự thảo").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã lưu dự thảo: 4 điều.")


async def _open_then_close_early(page: Page, width: str) -> None:
    page.on("dialog", _accept)
    await page.get_by_role("button", name="Mở lấy ý kiến ngay").click()
    await expect(page.get_by_role("status")).to_contain_text("Đợt lấy ý kiến đã mở")
    await expect(page.locator(".page-head .badge")).to_have_text("Đang lấy ý kiến")
    await _shot(page, "round-open", width)
    await page.get_by_role("button", name="Kết thúc lấy ý kiến").click()
    await expect(page.get_by_label("Lý do kết thúc sớm")).to_be_focused()
    await page.get_by_label("Lý do kết thúc sớm").fill("Văn bản cấp trên thay đổi, cần soạn lại.")
    await page.get_by_role("button", name="Kết thúc lấy ý kiến").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã kết thúc đợt lấy ý kiến.")


@pytest.mark.parametrize("width", list(VIEWPORTS))
async def test_officer_creates_a_round_from_a_docx_opens_it_and_closes_it_early(
    server: str, browser: Browser, engine: AsyncEngine, width: str
) -> None:
    context = await browser.new_context(viewport=VIEWPORTS[width], locale="vi-VN")  # type: ignore[arg-type]
    page = await context.new_page()
    await _log_in(page, server, width)
    await _shot(page, "rounds", width)
    await _create_round(page, width)
    await _import_docx(page, width)
    await _open_then_close_early(page, width)
    await page.get_by_role("link", name="Đợt lấy ý kiến", exact=True).first.click()
    await _shot(page, "rounds-after", width)
    await expect(page.get_by_role("table")).to_contain_text(
        "Dự thảo Quy định quản lý chợ <tỉnh Minh Sơn>")

    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        made = [r for r in await console_rounds.list_rounds(uow, agency_id=None)
                if r.title.startswith("Dự thảo Quy định quản lý chợ")]
    assert made and made[0].status == "closed" and made[0].article_count == 4
    await context.close()
