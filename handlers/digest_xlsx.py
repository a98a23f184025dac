"""The period's comments as an Excel workbook, attached to the e-mail digest.

Written with openpyxl's write-only mode, which streams rows to the file instead of
keeping a cell object per value, so 20,000 rows stay within a few megabytes of
memory. Texts are written as strings with formulas disabled: a comment beginning
with "=" must not become a formula in the agency's spreadsheet.
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from consultations.digests.export import ExportRow, PeriodComments
from handlers.digest_render import TZ_NAME
from handlers.texts import t

COLUMNS = (
    ("id", 8),
    ("time", 17),
    ("round", 30),
    ("article", 10),
    ("stance", 16),
    ("kind", 12),
    ("organisation", 24),
    ("cosignatures", 12),
    ("moderation", 12),
    ("text", 80),
)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    """Text a spreadsheet cannot mistake for a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(_DANGEROUS) else value


def _cells(row: ExportRow, locale: str, tz: ZoneInfo) -> list[object]:
    stance = t(locale, f"digest.stance.{row.stance}")
    kind = t(locale, f"digest.kind_of.{row.kind}")
    local = row.created_at.astimezone(tz).replace(tzinfo=None)
    texts = [row.round_title, row.article, stance, kind, row.organisation]
    return [
        row.id,
        local,
        *(_safe(v) for v in texts),
        row.cosignatures,
        row.moderation,
        _safe(row.text),
    ]


def xlsx_bytes(comments: PeriodComments, locale: str, tz_name: str = TZ_NAME) -> bytes:
    """The workbook: one header row, one row per comment, a closing note when truncated."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(t(locale, "digest.xlsx.sheet")[:31])
    for index, (_key, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for key, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=t(locale, f"digest.xlsx.{key}"))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    tz = ZoneInfo(tz_name)
    for row in comments.rows:
        cells = _cells(row, locale, tz)
        time_cell = WriteOnlyCell(sheet, value=cells[1])
        time_cell.number_format = "dd/mm/yyyy hh:mm"
        sheet.append([cells[0], time_cell, *cells[2:]])
    if comments.truncated:
        missing = comments.total - len(comments.rows)
        sheet.append([None, None, t(locale, "digest.xlsx.truncated", count=missing)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
