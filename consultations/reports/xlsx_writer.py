"""The synthesis report as an Excel workbook, written row by row (openpyxl write-only mode).

Sheets: the table (frozen header row, set column widths, wrapped text, an
autofilter, printed landscape with the header repeated), then the per-article
summary with the report's header lines above it. A sheet holds at most
1,048,575 data rows; a larger table continues on "Tổng hợp ý kiến (2)" and so on.
Every text cell is stored as text (never a formula) and spreadsheet_safe.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Sequence
from copy import copy
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from consultations.reports import labels
from consultations.reports.cells import spreadsheet_safe
from consultations.reports.data import SynthesisRow
from consultations.reports.synthesis import Synthesis

EXCEL_MAX_ROWS = 1_048_576
TABLE_WIDTHS = (6, 9, 24, 26, 14, 60, 14, 16, 50)
SUMMARY_WIDTHS = (45, *([12] * (len(labels.SUMMARY_COLUMNS) - 1)))
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _style(sheet: Any, *, head: bool) -> Any:
    """The registered style of a body or header cell, made once per sheet.

    Assigning font and alignment objects cell by cell hashes them every time;
    copying the resulting style array makes a million cells affordable.
    """
    probe = WriteOnlyCell(sheet)
    probe.alignment = _WRAP
    if head:
        probe.font, probe.fill = _BOLD, _HEAD_FILL
    return probe._style


def _cell(sheet: Any, value: str | int, style: Any) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=spreadsheet_safe(value))
        cell.data_type = "s"  # text, even when it looks like "#N/A" or a formula
    else:
        cell = WriteOnlyCell(sheet, value=value)
    cell._style = copy(style)
    return cell


def _row(sheet: Any, values: Sequence[str | int], *, head: bool = False) -> list[WriteOnlyCell]:
    style = _style(sheet, head=head)
    return [_cell(sheet, value, style) for value in values]


def _widths(sheet: Any, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _table_sheet(book: Workbook, part: int) -> Any:
    title = labels.TABLE_SHEET if part == 1 else f"{labels.TABLE_SHEET} ({part})"
    sheet = book.create_sheet(title, index=part - 1)
    _widths(sheet, TABLE_WIDTHS)
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = "1:1"
    sheet.append(_row(sheet, labels.TABLE_COLUMNS, head=True))
    return sheet


def _summary_sheet(book: Workbook, synthesis: Synthesis, tz_name: str) -> None:
    sheet = book.create_sheet(labels.SUMMARY_SHEET)
    _widths(sheet, SUMMARY_WIDTHS)
    header = synthesis.header
    sheet.append(_row(sheet, [labels.TITLE], head=True))
    lines = [labels.SUBTITLE.format(title=header.title)]
    if header.status not in ("closed", "reported"):
        lines.append(labels.PROVISIONAL)
    for line in [*lines, *labels.header_lines(header, tz_name)]:
        sheet.append([spreadsheet_safe(line)])
    sheet.append([])
    sheet.append(_row(sheet, labels.SUMMARY_COLUMNS, head=True))
    for article in synthesis.articles:
        sheet.append(_row(sheet, labels.summary_values(article)))


def _finish(sheet: Any, rows: int) -> None:
    last = get_column_letter(len(labels.TABLE_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{rows + 1}"


async def write_xlsx(
    synthesis: Synthesis,
    rows: AsyncIterable[SynthesisRow],
    out: IO[bytes],
    *,
    tz_name: str,
    rows_per_sheet: int = EXCEL_MAX_ROWS - 1,
) -> int:
    """Stream the table into the workbook, then save it to `out`; returns the rows written."""
    book = Workbook(write_only=True)
    part, in_sheet, count = 1, 0, 0
    sheet = _table_sheet(book, part)
    style = _style(sheet, head=False)
    _summary_sheet(book, synthesis, tz_name)
    async for row in rows:
        if in_sheet == rows_per_sheet:
            _finish(sheet, in_sheet)
            part, in_sheet = part + 1, 0
            sheet = _table_sheet(book, part)
        sheet.append([_cell(sheet, value, style) for value in labels.row_values(row)])
        in_sheet, count = in_sheet + 1, count + 1
    _finish(sheet, in_sheet)
    book.save(out)
    return count
