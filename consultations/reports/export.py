"""One entry point for every synthesis report format: what the CLI and the console call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from consultations.errors import InvalidInput
from consultations.reports.data import ReportHeader
from consultations.reports.docx_writer import write_docx
from consultations.reports.synthesis import prepare, synthesis_rows
from consultations.reports.tabular import write_csv, write_json
from consultations.reports.xlsx_writer import write_xlsx
from storage.uow import UnitOfWork

FORMATS = ("docx", "xlsx", "csv", "json")
DEFAULT_TZ = "Asia/Ho_Chi_Minh"
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@dataclass(frozen=True)
class WrittenReport:
    """What was written: the header's figures and how many table rows."""

    header: ReportHeader
    rows: int


def report_filename(round_id: int, fmt: str) -> str:
    return f"bao-cao-tong-hop-round-{round_id}.{fmt}"


async def write_report(
    uow: UnitOfWork,
    round_id: int,
    fmt: str,
    out: IO[bytes],
    *,
    tz_name: str = DEFAULT_TZ,
    place: str | None = None,
) -> WrittenReport:
    """Write the synthesis report of a round in `fmt` to the binary file `out`.

    Any round may be reported on; one still open is marked as provisional.
    `place` opens the date line ("Minh Sơn, ngày …") of the DOCX.
    """
    if fmt not in FORMATS:
        raise InvalidInput("report.bad_format", formats=", ".join(FORMATS))
    synthesis = await prepare(uow, round_id)
    rows = synthesis_rows(uow, round_id, synthesis.grouping)
    if fmt == "docx":
        count = await write_docx(synthesis, rows, out, tz_name=tz_name, place=place)
    elif fmt == "xlsx":
        count = await write_xlsx(synthesis, rows, out, tz_name=tz_name)
    elif fmt == "csv":
        count = await write_csv(rows, out)
    else:
        count = await write_json(synthesis, rows, out)
    return WrittenReport(synthesis.header, count)
