"""The report files, read back with python-docx, openpyxl, csv and json as a reader would."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from sqlalchemy import update

from consultations import reports
from consultations.errors import InvalidInput
from consultations.reports import labels
from consultations.reports.synthesis import prepare, synthesis_rows
from consultations.reports.xlsx_writer import write_xlsx
from storage.clock import FixedClock
from storage.models import Comment
from storage.uow import UnitOfWorkFactory
from tests.reports.conftest import FORMULA_TEXT, HTML_TEXT, Seeded, seed_people

FORMULA_STARTS = ("=", "+", "-", "@")


async def _write(uow_factory: UnitOfWorkFactory, round_id: int, fmt: str) -> bytes:
    out = io.BytesIO()
    async with uow_factory() as uow:
        await reports.write_report(uow, round_id, fmt, out, place="Minh Sơn")
    return out.getvalue()


async def test_docx_is_a_landscape_times_new_roman_document_with_the_table(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    data = await _write(uow_factory, seeded.round_id, "docx")
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert document.styles["Normal"].font.name == "Times New Roman"
    text = "\n".join(p.text for p in document.paragraphs)
    assert labels.TITLE in text and "đối với Dự thảo Quyết định thử nghiệm" in text
    assert "Tổng số ý kiến: 8, thể hiện trong 6 dòng" in text
    letterhead, summary, table = document.tables
    assert labels.NATION in letterhead.cell(0, 1).text
    assert "Minh Sơn, ngày 27 tháng 11 năm 2026" in letterhead.cell(0, 1).text
    assert [c.text for c in table.rows[0].cells] == list(labels.TABLE_COLUMNS)
    assert len(table.rows) == 7, f"expected a header and 6 rows, got {len(table.rows)}"
    assert [c.text for c in summary.rows[1].cells][:2] == ["Toàn bộ dự thảo", "1"]
    cells = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert cells[str(seeded.comment["a2"])][5] == HTML_TEXT
    assert cells[str(seeded.comment["c1"])][6] == "3"
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader"), "the header row should repeat"


async def test_markup_typed_by_a_citizen_is_escaped_in_the_docx_xml(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    data = await _write(uow_factory, seeded.round_id, "docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;alert(" in xml


async def test_xlsx_has_a_frozen_wrapped_table_and_a_summary_sheet(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    data = await _write(uow_factory, seeded.round_id, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [labels.TABLE_SHEET, labels.SUMMARY_SHEET]
    sheet = book[labels.TABLE_SHEET]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["F"].width == 60
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == labels.TABLE_COLUMNS and len(rows) == 7
    by_number = {row[1]: row for row in rows[1:]}
    assert by_number[seeded.comment["a2"]][5] == HTML_TEXT
    assert by_number[seeded.comment["b1"]][5] == "'" + FORMULA_TEXT
    assert sheet["F2"].alignment.wrap_text
    summary = [r for r in book[labels.SUMMARY_SHEET].iter_rows(values_only=True) if r]
    assert ("Điều 3. Hiệu lực thi hành", 3, 0, 0, 3, 0, 1, 0, 0, 3, 0) in summary


async def test_no_xlsx_cell_is_a_formula(uow_factory: UnitOfWorkFactory, seeded: Seeded) -> None:
    data = await _write(uow_factory, seeded.round_id, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    formulas = [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value[:1] in "=+@")
    ]
    assert formulas == [], f"cells a spreadsheet would run as formulas: {formulas}"


async def test_csv_neutralises_formulas_and_keeps_text_literal(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    data = await _write(uow_factory, seeded.round_id, "csv")
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read Vietnamese"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == labels.TABLE_COLUMNS and len(rows) == 7
    risky = [cell for row in rows[1:] for cell in row if cell.startswith(FORMULA_STARTS)]
    assert risky == [], f"CSV cells that would run as formulas: {risky}"
    by_number = {int(row[1]): row for row in rows[1:]}
    assert by_number[seeded.comment["b1"]][5] == "'" + FORMULA_TEXT
    assert by_number[seeded.comment["a2"]][5] == HTML_TEXT
    assert "0912" not in data.decode("utf-8-sig")


async def test_json_holds_header_articles_and_rows(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    data = json.loads(await _write(uow_factory, seeded.round_id, "json"))
    assert data["header"]["comments"] == 8 and len(data["articles"]) == 4
    by_number = {row["comment_id"]: row for row in data["rows"]}
    assert by_number[seeded.comment["a2"]]["comment"] == HTML_TEXT
    petition = by_number[seeded.comment["c1"]]
    assert (petition["similar"], petition["outcome_label"]) == (3, "Giải trình")


async def test_a_long_table_continues_on_another_sheet(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    out = io.BytesIO()
    async with uow_factory() as uow:
        synthesis = await prepare(uow, seeded.round_id)
        rows = synthesis_rows(uow, seeded.round_id, synthesis.grouping)
        await write_xlsx(synthesis, rows, out, tz_name="Asia/Ho_Chi_Minh", rows_per_sheet=4)
    book = openpyxl.load_workbook(out)
    second = f"{labels.TABLE_SHEET} (2)"
    assert book.sheetnames == [labels.TABLE_SHEET, second, labels.SUMMARY_SHEET]
    counts = [book[name].max_row - 1 for name in (labels.TABLE_SHEET, second)]
    assert counts == [4, 2], f"rows per table sheet: {counts}"


async def test_an_open_round_gives_a_provisional_report(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    data = await _write(uow_factory, open_round, "docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert labels.PROVISIONAL in text


async def test_control_characters_in_stored_text_do_not_break_the_files(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, seeded: Seeded
) -> None:
    async with uow_factory() as uow:
        await uow.session.execute(
            update(Comment)
            .where(Comment.id == seeded.comment["h1"])
            .values(body="Cần\x01 làm rõ\x0b khái niệm\ufffe")
        )
        await uow.commit()
    for fmt in ("docx", "xlsx"):
        data = await _write(uow_factory, seeded.round_id, fmt)
        assert len(data) > 1000, f"{fmt} was not written"
    book = openpyxl.load_workbook(io.BytesIO(await _write(uow_factory, seeded.round_id, "xlsx")))
    texts = [row[5] for row in book[labels.TABLE_SHEET].iter_rows(values_only=True)]
    assert "Cần làm rõ khái niệm" in texts


async def test_an_unknown_format_is_refused(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await _write(uow_factory, open_round, "pdf")
    assert refused.value.key == "report.bad_format"


async def test_an_empty_round_still_makes_every_file(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    async with uow_factory() as uow:
        await seed_people(uow)
        await uow.commit()
    clock.advance(timedelta(days=1))
    for fmt in reports.FORMATS:
        assert await _write(uow_factory, open_round, fmt), f"no {fmt} for an empty round"
