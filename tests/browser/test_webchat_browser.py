"""A newcomer in a real (headless Chromium) browser: read the draft, comment on Điều 2."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from bot.settings import Settings
from storage.engine import session_factory
from storage.models import Comment
from storage.uow import UnitOfWorkFactory

pytestmark = pytest.mark.browser


@pytest.fixture
async def server(db_url: str, engine: AsyncEngine, open_round: int) -> AsyncIterator[str]:
    if not db_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the browser")
    settings = Settings(database_url=db_url, http_port=0, admin_secret_key="k" * 40,
                        _env_file=None)  # type: ignore[call-arg]
    runtime = Runtime(settings)
    await runtime.start()
    yield runtime.url
    await runtime.stop()


async def _click(page: Page, name: str) -> None:
    """Click the newest button whose name contains `name` (older messages keep theirs)."""
    await page.get_by_role("button", name=name).last.click()


async def test_newcomer_reads_the_draft_and_comments_on_article_two(
    server: str, browser: Browser, engine: AsyncEngine
) -> None:
    page = await browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
    await page.goto(server)
    log = page.get_by_role("log")
    await expect(log).to_contain_text("Xin chào")
    steps = [
        ("Tôi đồng ý", "Bạn muốn làm gì"),
        ("Xem dự thảo", "Các dự thảo đang lấy ý kiến"),
        ("Dự thảo Quyết định thử nghiệm", "Cơ quan chủ trì"),
        ("Đọc từng điều", "Điều 1. Phạm vi điều chỉnh"),
        ("Điều sau", "Điều 2. Đối tượng áp dụng"),
        ("Góp ý điều này", "Mời bạn nhập góp ý cho Điều 2"),
    ]
    for button, answer in steps:
        await _click(page, button)
        await expect(log).to_contain_text(answer)  # one message at a time, as a person reads
    box = page.get_by_role("textbox")
    await box.fill("Đề nghị bổ sung <b>hợp tác xã</b> vào đối tượng áp dụng.")
    await box.press("Enter")
    await expect(log).to_contain_text("Quan điểm của bạn")
    await _click(page, "👍 Đồng tình")
    await expect(log).to_contain_text("Phạm vi: Điều 2")
    await _click(page, "✅ Gửi")
    await expect(log).to_contain_text("Đã ghi nhận góp ý số 1")
    assert await page.locator(".bubble b, [role=log] b").count() == 0, "typed HTML is not markup"

    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        comment = await uow.session.scalar(select(Comment))
    assert comment is not None
    assert comment.body == "Đề nghị bổ sung <b>hợp tác xã</b> vào đối tượng áp dụng."

    await page.reload()
    await expect(page.get_by_role("log")).to_contain_text("Đã ghi nhận góp ý số 1")
