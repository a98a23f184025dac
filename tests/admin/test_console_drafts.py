"""Importing a draft: .docx or pasted text, a preview to correct, and refusals of bad files."""

from __future__ import annotations

import io
import zipfile

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from consultations import sections
from storage.engine import session_factory
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import Client, ClientFactory, People, audit_actions, signed_in
from tests.admin.docx_files import auto_numbered_draft, market_draft

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(data: bytes, name: str = "du-thao.docx", content_type: str = DOCX,
            action: str = "preview") -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("file", data, filename=name, content_type=content_type)
    form.add_field("draft", "")
    form.add_field("action", action)
    return form


def _text(draft: str, action: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("file", b"", filename="", content_type="application/octet-stream")
    form.add_field("draft", draft)
    form.add_field("action", action)
    return form


async def _articles(engine: AsyncEngine, round_id: int) -> list[str]:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        return [f"{a.label}. {a.heading}" for a in await sections.list_articles(uow, round_id)]


async def _minh(client_factory: ClientFactory, people: People) -> Client:
    minh = await signed_in(client_factory, "minh")
    await minh.get(f"/admin/rounds/{people.round_b}/draft")
    return minh


async def test_a_docx_is_previewed_then_saved_after_a_correction(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    minh = await _minh(client_factory, people)
    path = f"/admin/rounds/{people.round_b}/draft"
    status, html = await minh.post(path, _upload(market_draft(), action="save"))
    assert status == 200 and "Tìm thấy 4 điều" in html and "Điều 4" in html
    assert 'Đã đọc tệp "du-thao.docx"' in html or "Đã đọc tệp &#34;du-thao.docx&#34;" in html
    assert await _articles(engine, people.round_b) != [], "fixture draft still there"
    assert "Giải thích từ ngữ" not in str(await _articles(engine, people.round_b)), \
        "a file is never saved before it was previewed"
    corrected = html.split('name="draft"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    import html as html_lib

    text = html_lib.unescape(corrected).replace("Điều 3. Giải thích từ ngữ",
                                                "Điều 3. Giải thích từ ngữ được dùng")
    status, _ = await minh.post(path, _text(text, "save"))
    assert status == 200 and minh.url.endswith(f"/admin/rounds/{people.round_b}")
    assert await _articles(engine, people.round_b) == [
        "Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng",
        "Điều 3. Giải thích từ ngữ được dùng", "Điều 4. Hiệu lực thi hành"]
    assert (await audit_actions(engine, "round.import_draft"))[-1].details == {"articles": 4}


async def test_words_automatic_numbering_is_kept(
    client_factory: ClientFactory, people: People
) -> None:
    minh = await _minh(client_factory, people)
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft",
                                   _upload(auto_numbered_draft()))
    assert status == 200 and "Tìm thấy 3 điều" in html
    assert "a) Ủy ban nhân dân cấp xã;" in html and "2. Cơ quan thu phí:" in html


async def test_pasted_markdown_is_previewed_with_numbering_warnings(
    client_factory: ClientFactory, people: People
) -> None:
    minh = await _minh(client_factory, people)
    draft = "## Điều 1. Một\nNội dung.\n\n## Điều 3. Ba\nNội dung.\n\n## Điều 2. Hai\nNội dung."
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft",
                                   _text(draft, "preview"))
    assert status == 200 and "Tìm thấy 3 điều" in html
    assert "Điều 2 đứng sau Điều 3." in html


async def test_text_without_articles_is_explained(
    client_factory: ClientFactory, people: People
) -> None:
    minh = await _minh(client_factory, people)
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft",
                                   _text("Chỉ là một đoạn văn.", "save"))
    assert status == 400 and "Không tìm thấy điều nào." in html


async def test_a_text_file_renamed_to_docx_is_refused_clearly(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    minh = await _minh(client_factory, people)
    before = await _articles(engine, people.round_b)
    fake = "Điều 1. Giả mạo\nKhông phải docx.".encode()
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft", _upload(fake))
    assert status == 400 and "không phải tệp Word .docx hợp lệ" in html
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as package:
        package.writestr("hello.txt", "not word")
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft",
                                   _upload(zipped.getvalue()))
    assert status == 400 and "không phải tệp Word .docx hợp lệ" in html, "a zip is not enough"
    assert await _articles(engine, people.round_b) == before


async def test_old_doc_files_and_other_types_get_their_own_advice(
    client_factory: ClientFactory, people: People
) -> None:
    minh = await _minh(client_factory, people)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft",
                                   _upload(ole, name="cu.docx"))
    assert status == 400 and "tệp Word cũ (.doc)" in html
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft",
                                   _upload(market_draft(), name="du-thao.pdf",
                                           content_type="application/pdf"))
    assert status == 400 and "Chỉ nhận tệp Word .docx" in html


async def test_files_over_five_megabytes_are_refused_with_the_limit(
    client_factory: ClientFactory, people: People
) -> None:
    minh = await _minh(client_factory, people)
    big = market_draft() + b"\x00" * (5 * 1024 * 1024)
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft", _upload(big))
    assert status == 400 and "Tệp quá lớn: tối đa 5 MB." in html
    huge = b"\x00" * (12 * 1024 * 1024)
    status, html = await minh.post(f"/admin/rounds/{people.round_b}/draft", _upload(huge))
    assert status == 413 and "quá lớn" in html


async def test_the_draft_of_an_open_round_cannot_be_replaced(
    client_factory: ClientFactory, people: People, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    _, page = await lan.get(f"/admin/rounds/{people.round_a}/draft")
    assert "không thay được nội dung dự thảo" in page and 'name="draft"' not in page
    status, html = await lan.post(f"/admin/rounds/{people.round_a}/draft",
                                  _text("Điều 1. Mới\nNội dung.", "save"))
    assert status == 400 and "không thay được nội dung dự thảo" in html
    assert len(await _articles(engine, people.round_a)) == 3
