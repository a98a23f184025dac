"""A Word (.docx) draft as plain text, in document order, for the draft parser.

Agencies write drafts in Word, often with automatic numbering ("Điều %1." set
up as a list), which `paragraph.text` leaves out: without it the parser would
find no articles. So list numbers are rebuilt from numbering.xml. Tables become
one line per row, cells separated by " | ".
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from consultations.console.numbering import Numbering
from consultations.errors import InvalidInput

MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a 5 MB upload that inflates past this is a zip bomb
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Word 97-2003 .doc, Excel .xls...


def check_docx(data: bytes) -> None:
    """Refuse anything that is not a Word 2007+ document before opening it."""
    if data.startswith(_OLE_MAGIC):
        raise InvalidInput("draft.legacy_doc")
    if not data.startswith(b"PK"):
        raise InvalidInput("draft.not_docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise InvalidInput("draft.not_docx") from error
    if "word/document.xml" not in names:
        raise InvalidInput("draft.not_docx")
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidInput("draft.docx_too_big_unpacked")


def docx_to_text(data: bytes) -> str:
    """Paragraphs and table rows in order, with list numbers written out."""
    check_docx(data)
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = Numbering.of(document)
        lines = [_block_text(block, numbering) for block in document.iter_inner_content()]
    except InvalidInput:
        raise
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise InvalidInput("draft.docx_unreadable") from error
    return "\n".join(lines).strip("\n") + "\n"


def _block_text(block: Any, numbering: Numbering) -> str:
    if isinstance(block, Table):
        return _table_text(block)
    assert isinstance(block, Paragraph)
    text = block.text.replace("\u000b", "\n")
    prefix = numbering.label(block)
    if prefix and text.strip():
        return f"{prefix} {text.lstrip()}"
    return text


def _table_text(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        rows.append(" | ".join(cell for cell in cells if cell))
    return "\n".join(row for row in rows if row)
