"""Outputs over real HTTP: the synthesis report downloads, publishing outcomes, public open data."""

from __future__ import annotations

import csv
import io
import json

import aiohttp
import docx
import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import comments, rounds
from storage.clock import FixedClock
from storage.engine import session_factory
from storage.models import OutboxMessage, Round
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import Client, ClientFactory, People, audit_actions, signed_in
from tests.admin.consultation_data import HTML_COMMENT, Seeded, articles, seed

PII_COMMENT = "Liên hệ tôi qua 0912 345 678 hoặc an.nguyen@example.com về Điều 1."


@pytest.fixture
async def seeded(uow_factory: UnitOfWorkFactory, clock: FixedClock, people: People) -> Seeded:
    found = await seed(uow_factory, clock, people)
    async with uow_factory() as uow:
        section = (await articles(uow, people.round_a))["Điều 1"]
        await comments.submit(uow, participant_id=found.person["web"], round_id=people.round_a,
                              stance="other", text=PII_COMMENT, section_id=section,
                              channel="webchat")
        await uow.commit()
    return found


async def _close(uow_factory: UnitOfWorkFactory, round_id: int) -> None:
    async with uow_factory() as uow:
        await rounds.close(uow, round_id, actor="test", override_reason="đủ ý kiến")
        await uow.commit()


async def _download(client: Client, path: str) -> tuple[int, dict[str, str], bytes]:
    async with client.session.get(client.base + path) as response:
        return response.status, dict(response.headers), await response.read()


async def test_the_report_downloads_as_word_and_excel_with_the_comments(
    client_factory: ClientFactory, people: People, seeded: Seeded, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    _, html = await lan.get(f"/admin/outputs/rounds/{people.round_a}")
    assert f'href="/admin/outputs/rounds/{people.round_a}/report.docx"' in html
    assert "báo cáo là bản tạm" in html, "an open round's report is provisional"
    base = f"/admin/outputs/rounds/{people.round_a}/report"
    status, headers, body = await _download(lan, base + ".docx")
    assert status == 200 and headers["Content-Disposition"].startswith("attachment;")
    document = docx.Document(io.BytesIO(body))
    table = document.tables[-1]
    texts = [row.cells[5].text for row in table.rows[1:]]
    assert HTML_COMMENT in texts, "HTML typed by a citizen is printed as the very characters"
    assert any("[số điện thoại]" in t and "[email]" in t for t in texts), "PII redacted"
    status, _, body = await _download(lan, base + ".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert status == 200 and HTML_COMMENT in values
    assert [e.details["format"] for e in await audit_actions(engine, "report.download")] == [
        "docx", "xlsx"]


async def test_another_agencys_report_cannot_be_downloaded(
    client_factory: ClientFactory, people: People, seeded: Seeded
) -> None:
    minh = await signed_in(client_factory, "minh")
    for path in ("", "/report.docx", "/report.xlsx"):
        status, _, body = await _download(minh, f"/admin/outputs/rounds/{people.round_a}{path}")
        assert status == 404 and "Chúng tôi là các hộ".encode() not in body, path
    status, _ = await minh.post(f"/admin/outputs/rounds/{people.round_a}/publish", {})
    assert status == 404


async def test_open_data_is_public_only_for_closed_rounds_without_personal_data(
    server: str, people: People, seeded: Seeded, uow_factory: UnitOfWorkFactory
) -> None:
    base = f"{server}/open-data/rounds/{people.round_a}"
    async with aiohttp.ClientSession() as anonymous:
        for name in ("comments.csv", "comments.json", "articles.csv"):
            async with anonymous.get(f"{base}/{name}") as response:
                assert response.status == 404, f"{name} of an open round was published"
        await _close(uow_factory, people.round_a)
        async with anonymous.get(f"{base}/comments.csv") as response:
            assert response.status == 200 and response.content_type == "text/csv"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "Set-Cookie" not in response.headers
            text = await response.text()
        async with anonymous.get(f"{base}/comments.json") as response:
            data = json.loads(await response.read())
        async with anonymous.get(f"{base}/articles.csv") as response:
            articles_csv = list(csv.reader(io.StringIO(await response.text())))
        for missing in (f"{server}/open-data/rounds/999/comments.csv",
                        f"{server}/open-data/rounds/{people.round_a}/secrets.csv"):
            async with anonymous.get(missing) as response:
                assert response.status == 404, missing
        async with anonymous.get(f"{server}/open-data/rounds.json") as response:
            index = await response.json()
    rows = list(csv.DictReader(io.StringIO(text)))
    numbers = {int(r["comment_number"]) for r in rows}
    assert seeded.comment["abusive"] not in numbers, "a held comment was published"
    assert seeded.comment["html"] in numbers and HTML_COMMENT in text
    for secret in ("0912 345 678", "an.nguyen@example.com", "7000", "w-visitor-1", "z-9001"):
        assert secret not in text and secret not in json.dumps(data), f"{secret} published"
    assert len(data["comments"]) == len(rows) == 7
    assert articles_csv[0][:4] == ["article", "article_heading", "comments", "cosignatures"]
    assert [r["id"] for r in index["rounds"]] == [people.round_a]


async def test_publishing_outcomes_marks_the_round_reported_and_notifies_commenters(
    client_factory: ClientFactory, people: People, seeded: Seeded,
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine,
) -> None:
    lan = await signed_in(client_factory, "lan")
    status, html = await lan.get(f"/admin/outputs/rounds/{people.round_a}")
    assert "/publish" not in html, "an open round cannot be published yet"
    await _close(uow_factory, people.round_a)
    _, html = await lan.get(f"/admin/outputs/rounds/{people.round_a}")
    assert "Còn 7 góp ý chưa có kết quả." in html
    await lan.post(f"/admin/outputs/rounds/{people.round_a}/publish", {})
    assert "chưa có kết quả" in (await lan.get(f"/admin/outputs/rounds/{people.round_a}"))[1]
    status, html = await lan.post(f"/admin/outputs/rounds/{people.round_a}/publish",
                                  {"missing": "7"})
    assert status == 200 and "Đã công bố kết quả; 7 tin nhắn" in html
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        consultation = await uow.session.get(Round, people.round_a)
        notes = list(await uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.dedupe_key.startswith(f"outcomes:round:{people.round_a}:"))))
    assert consultation is not None and consultation.status == "reported"
    assert len(notes) == 7, "one note to each person who wrote a visible comment"
    assert len(await audit_actions(engine, "round.outcomes_published")) == 1


async def test_a_moderator_can_neither_download_nor_publish(
    client_factory: ClientFactory, people: People, seeded: Seeded
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    for path in ("/admin/outputs", f"/admin/outputs/rounds/{people.round_a}/report.docx"):
        status, _, _ = await _download(hoa, path)
        assert status == 403, path
    status, _ = await hoa.post(f"/admin/outputs/rounds/{people.round_a}/publish", {})
    assert status == 403
