"""The synthesis table as CSV (for a spreadsheet) and JSON (for programs), streamed.

The CSV is UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly
when the file is double-clicked; every text cell goes through spreadsheet_safe.
The JSON keeps citizens' text exactly as published (it is data, not a sheet):
whoever renders it must escape it, as for any other text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import IO, Any

from consultations.reports import labels
from consultations.reports.cells import spreadsheet_safe
from consultations.reports.data import SynthesisRow
from consultations.reports.synthesis import Synthesis


@contextmanager
def text_stream(out: IO[bytes], encoding: str = "utf-8") -> Iterator[io.TextIOWrapper]:
    """A text view of a binary file that is flushed, not closed, when done."""
    wrapper = io.TextIOWrapper(out, encoding=encoding, newline="")
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()


def safe_cells(values: list[str | int]) -> list[str | int]:
    return [spreadsheet_safe(v) if isinstance(v, str) else v for v in values]


async def write_csv(rows: AsyncIterable[SynthesisRow], out: IO[bytes]) -> int:
    """The table only (the header and per-article counts are in the other formats)."""
    count = 0
    with text_stream(out, "utf-8-sig") as text:
        writer = csv.writer(text)
        writer.writerow(labels.TABLE_COLUMNS)
        async for row in rows:
            writer.writerow(safe_cells(labels.row_values(row)))
            count += 1
    return count


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_jsonable)


def row_json(row: SynthesisRow) -> dict[str, Any]:
    """A row with codes (for programs) and the report's labels (for people)."""
    return asdict(row) | {
        "similar": row.similar,
        "stance_label": labels.STANCES.get(row.stance, row.stance),
        "outcome_label": labels.OUTCOMES.get(row.outcome, row.outcome or ""),
    }


async def write_json(
    synthesis: Synthesis, rows: AsyncIterable[SynthesisRow], out: IO[bytes]
) -> int:
    """{"header": …, "articles": […], "rows": […]}, the rows written as they come."""
    count = 0
    with text_stream(out) as text:
        text.write('{"header": ' + _dump(asdict(synthesis.header)))
        text.write(', "articles": ' + _dump([asdict(a) for a in synthesis.articles]))
        text.write(', "rows": [')
        async for row in rows:
            text.write(("," if count else "") + "\n" + _dump(row_json(row)))
            count += 1
        text.write("\n]}\n")
    return count
