"""An agency officer's day in headless Chromium: a citizen comments and asks through the web
chat API; the officer finds the comment in the console, records its outcome, answers the
question (the citizen's chat receives it), looks at the dashboard, downloads the report and
publishes the outcomes. Screenshots go to docs/screenshots/ for the guide."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import docx
import openpyxl
import pytest
from playwright.async_api import Browser, Dialog, Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Runtime
from consultations import participants, rounds
from storage.clock import FixedClock
from storage.engine import session_factory
from storage.models import OutboxMessage, Participant, Question, Round
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import PASSWORD, seed_people, settings_for
from tests.browser.conftest import SHOTS, VIEWPORTS

pytestmark = pytest.mark.browser
COMMENT = "Đề nghị bổ sung hợp tác xã <và tổ hợp tác> vào Điều 2."
QUESTION = "Hộ kinh doanh cá thể có phải đăng ký lại theo quyết định này không?"
ANSWER = "Không. Hộ kinh doanh đã đăng ký tiếp tục hoạt động bình thường."
REASON = "Bổ sung hợp tác xã; tổ hợp tác đã thuộc khoản 2."


@pytest.fixture
async def server(
    db_url: str, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, open_round: int,
    clock: FixedClock,
) -> AsyncIterator[str]:
    if not db_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the browser")
    await seed_people(uow_factory, open_round)
    runtime = Runtime(settings_for(db_url, chat_burst=30), clock)
    await runtime.start()
    yield runtime.url
    await runtime.stop()


async def _chat(session: aiohttp.ClientSession, url: str, **body: Any) -> dict[str, Any]:
    body.setdefault("event_id", uuid.uuid4().hex)
    async with session.post(f"{url}/api/chat", json=body) as response:
        assert response.status == 200, await response.text()
        return dict(await response.json())


def _action(body: dict[str, Any], label_part: str) -> str:
    for reply in body["replies"]:
        for row in reply["buttons"]:
            for button in row:
                if label_part.lower() in button["label"].lower():
                    return str(button["action"])
    raise AssertionError(f"no button {label_part!r} in {body}")


async def _citizen_comments_and_asks(citizen: aiohttp.ClientSession, url: str) -> int:
    """Through the web chat's JSON API, as the chat page does; returns the last reply id."""
    body = await _chat(citizen, url, action="start")
    body = await _chat(citizen, url, action=_action(body, "đồng ý"))
    body = await _chat(citizen, url, action="rounds")
    body = await _chat(citizen, url, action=_action(body, "Dự thảo"))
    body = await _chat(citizen, url, action=_action(body, "Đọc từng điều"))
    body = await _chat(citizen, url, action=_action(body, "Điều sau"))
    body = await _chat(citizen, url, action=_action(body, "Góp ý điều này"))
    body = await _chat(citizen, url, text=COMMENT)
    body = await _chat(citizen, url, action=_action(body, "Đề nghị sửa đổi"))
    body = await _chat(citizen, url, action=_action(body, "Gửi"))
    assert "Đã ghi nhận góp ý" in body["replies"][0]["text"]
    await _chat(citizen, url, action="ask")
    body = await _chat(citizen, url, text=QUESTION)
    return int(body["last_id"])


async def _shot(page: Page, name: str, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"admin-{name}-{width}.png"), full_page=True)


async def _accept(dialog: Dialog) -> None:
    await dialog.accept()


async def _log_in(page: Page, server: str, login: str = "lan") -> None:
    await page.goto(f"{server}/admin/login")
    await page.get_by_label("Tên đăng nhập").fill(login)
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("heading", name="Đợt lấy ý kiến", exact=True)).to_be_visible()


async def _nav(page: Page, name: str) -> None:
    """A link of the main navigation (on a phone it wraps onto a second line)."""
    await page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=name, exact=True).click()


async def _find_comment_and_decide(page: Page, width: str) -> None:
    await _nav(page, "Góp ý")
    await page.get_by_role("link", name="Dự thảo Quyết định thử nghiệm").click()
    comment = page.locator("ol.comments > li").filter(has_text="hợp tác xã")
    await expect(comment).to_contain_text(COMMENT)
    await expect(comment).to_contain_text("Điều 2")
    await _shot(page, "work-queue", width)
    await comment.get_by_role("link", name="Xử lý").click()
    await page.get_by_role("combobox", name="Kết quả").select_option("partly_accepted")
    await page.get_by_role("button", name="Lưu kết quả").click()
    await expect(page.locator(".field-error")).to_contain_text("Vui lòng ghi lý do")
    await page.get_by_label("Lý do", exact=True).last.fill(REASON)
    await page.get_by_role("button", name="Lưu kết quả").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã lưu kết quả xử lý góp ý")
    await expect(page.locator("article.comment")).to_contain_text("Tiếp thu một phần")
    await _shot(page, "work-comment", width)


async def _answer_question(page: Page, width: str) -> None:
    await _nav(page, "Câu hỏi")
    await expect(page.get_by_role("table")).to_contain_text(QUESTION[:40])
    await _shot(page, "work-questions", width)
    await page.get_by_role("link", name="#Q").first.click()
    await page.get_by_label("Nội dung trả lời").fill(ANSWER)
    await page.get_by_role("button", name="Gửi câu trả lời").click()
    await expect(page.get_by_role("status")).to_contain_text("cho người hỏi")
    await _shot(page, "work-answered", width)


async def _dashboard(page: Page, width: str) -> None:
    await _nav(page, "Thống kê")
    await page.get_by_role("link", name="Dự thảo Quyết định thử nghiệm").click()
    await expect(page.get_by_role("img", name="Biểu đồ cột: số góp ý mỗi ngày")).to_be_visible()
    await page.get_by_text("Xem số liệu dạng bảng").first.click()
    await expect(page.locator("table.data").first).to_contain_text("27/11/2026")
    await _shot(page, "insight", width)


async def _report(page: Page, width: str, tmp: Path) -> tuple[Path, Path]:
    await _nav(page, "Báo cáo")
    await page.get_by_role("link", name="Dự thảo Quyết định thử nghiệm").click()
    files = []
    for label, name in (("Tải Word (.docx)", "report.docx"), ("Tải Excel (.xlsx)", "report.xlsx")):
        async with page.expect_download() as waiting:
            await page.get_by_role("link", name=label).click()
        download = await waiting.value
        await download.save_as(tmp / name)
        files.append(tmp / name)
    page.on("dialog", _accept)
    await page.get_by_role("button", name="Công bố kết quả").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã công bố kết quả")
    await expect(page.get_by_role("link", name="/open-data/rounds/1/comments.csv")).to_be_visible()
    await _shot(page, "outputs", width)
    return files[0], files[1]


def _check_report(word: Path, excel: Path) -> None:
    table = docx.Document(str(word)).tables[-1]
    row = next(r for r in table.rows[1:] if "hợp tác xã" in r.cells[5].text)
    cells = [c.text for c in row.cells]
    assert cells[5] == COMMENT, "the comment as the citizen typed it, markup as characters"
    assert (cells[7], cells[8]) == ("Tiếp thu một phần", REASON)
    sheet = openpyxl.load_workbook(io.BytesIO(excel.read_bytes()), read_only=True).worksheets[0]
    values = [v for r in sheet.iter_rows(values_only=True) for v in r]
    assert COMMENT in values and REASON in values


async def _close(engine: AsyncEngine) -> None:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        round_id = await uow.session.scalar(select(Round.id).where(Round.status == "open"))
        assert round_id is not None
        await rounds.close(uow, round_id, actor="test", override_reason="đủ ý kiến")
        await uow.commit()


async def _answer_reached_the_chat(engine: AsyncEngine, citizen: aiohttp.ClientSession,
                                   url: str, after: int) -> None:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        question = await uow.session.scalar(select(Question))
        rows = list(await uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.dedupe_key.startswith("answer:question:"))))
    assert question is not None and (question.status, question.answer) == ("answered", ANSWER)
    assert {(r.channel, r.participant_id) for r in rows} == {
        ("webchat", question.participant_id)}, "answer and rating request to the asker's chat"
    async with citizen.get(f"{url}/api/chat/updates", params={"after": after}) as response:
        texts = [r["text"] for r in (await response.json())["replies"]]
    assert any(ANSWER in text for text in texts), f"the chat did not receive it: {texts}"


@pytest.mark.parametrize("width", list(VIEWPORTS))
async def test_officer_decides_a_web_chat_comment_answers_and_publishes_the_report(
    server: str, browser: Browser, engine: AsyncEngine, width: str, tmp_path: Path
) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as citizen:
        last_id = await _citizen_comments_and_asks(citizen, server)
        context = await browser.new_context(viewport=VIEWPORTS[width], locale="vi-VN")  # type: ignore[arg-type]
        page = await context.new_page()
        await _log_in(page, server)
        await _find_comment_and_decide(page, width)
        await _answer_question(page, width)
        await _answer_reached_the_chat(engine, citizen, server, last_id)
        await _dashboard(page, width)
        await _close(engine)
        word, excel = await _report(page, width, tmp_path)
        await context.close()
    _check_report(word, excel)


@pytest.mark.parametrize("width", list(VIEWPORTS))
async def test_admin_records_an_erasure_request_by_letter_and_carries_it_out(
    server: str, browser: Browser, engine: AsyncEngine, uow_factory: UnitOfWorkFactory, width: str
) -> None:
    async with uow_factory() as uow:
        person = await participants.grant_consent(uow, "telegram", "555001")
        await uow.commit()
    context = await browser.new_context(viewport=VIEWPORTS[width], locale="vi-VN")  # type: ignore[arg-type]
    page = await context.new_page()
    await _log_in(page, server, "root")
    await _nav(page, "Yêu cầu về dữ liệu")
    await page.get_by_role("combobox", name="Kênh người dân dùng").select_option("telegram")
    await page.get_by_role("textbox", name="Mã người dùng trên kênh").fill("555001")
    await page.get_by_role("combobox", name="Loại yêu cầu").select_option("erasure")
    await page.get_by_role("textbox", name="Số hiệu văn bản").fill("45/ĐN-2026")
    await page.get_by_role("button", name="Ghi nhận yêu cầu").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận yêu cầu số 1.")
    await expect(page.locator(".deadline")).to_contain_text("Phải xử lý trước 30/11/2026")
    await _shot(page, "privacy-request", width)
    page.on("dialog", _accept)
    await page.get_by_role("button", name="Xoá dữ liệu cá nhân").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã xoá dữ liệu cá nhân")
    await context.close()
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        row = await uow.session.get(Participant, person.id)
    assert row is not None and row.forgotten_at is not None and row.channel_user_id is None
