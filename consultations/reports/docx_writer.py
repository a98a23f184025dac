"""The synthesis report as a Word document laid out like a Vietnamese administrative paper.

Landscape A4, Times New Roman (it has every Vietnamese glyph and is the font
Decree 30/2020/NĐ-CP asks for), the agency and the national motto at the top,
the title, the round's figures, the per-article summary, then the table whose
header row repeats on every page. Word escapes text itself, so whatever a citizen
typed (HTML, a script tag, "=SUM(...)") is printed as the literal characters.
The document is built in memory: for a very large round prefer XLSX or CSV.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Sequence
from copy import deepcopy
from typing import IO, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from consultations.reports import labels
from consultations.reports.data import SynthesisRow
from consultations.reports.synthesis import Synthesis

FONT = "Times New Roman"
TABLE_STYLE = "Report Table Text"
TABLE_WIDTHS_CM = (1.0, 1.3, 2.8, 3.0, 2.0, 6.6, 1.6, 1.9, 4.5)
SUMMARY_WIDTHS_CM = (6.7, *([1.8] * (len(labels.SUMMARY_COLUMNS) - 1)))


def _set_font(style: Any, size: float) -> None:
    """Times New Roman for every script slot, so no run falls back to another font."""
    style.font.name, style.font.size = FONT, Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _new_document() -> Any:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    _set_font(document.styles["Normal"], 13)
    small = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = document.styles["Normal"]
    _set_font(small, 11)
    small.paragraph_format.space_after = Pt(0)
    _page_numbers(section.footer.paragraphs[0])
    return document


def _page_numbers(paragraph: Any) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _line(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    center: bool = True,
) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def _letterhead(document: Any, synthesis: Synthesis, tz_name: str, place: str | None) -> None:
    """Agency on the left, national name and motto on the right, as official papers open."""
    grid = document.add_table(rows=1, cols=2)
    left, right = grid.rows[0].cells
    _line(left, synthesis.header.agency_name.upper(), bold=True, size=12)
    _line(right, labels.NATION, bold=True, size=12)
    _line(right, labels.MOTTO, bold=True, size=13)
    _line(right, labels.dateline(synthesis.header.generated_at, tz_name, place), italic=True)
    for cell in (left, right):  # a new cell comes with an empty paragraph; drop it
        cell._tc.remove(cell.paragraphs[0]._p)


class _Table:
    """A grid table whose body rows are copies of one prepared row.

    python-docx looks styles up by name and recomputes the table's grid on every
    `row.cells`, which makes a table of n rows cost n²; copying a row that already
    carries its widths and paragraph style keeps each new row constant-time.
    """

    def __init__(self, document: Any, columns: Sequence[str], widths: Sequence[float]) -> None:
        table = document.add_table(rows=1, cols=len(columns))
        table.style = document.styles["Table Grid"]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        style_id = document.styles[TABLE_STYLE].style_id
        self._tbl = table._tbl
        self._template = deepcopy(table.rows[0]._tr)
        for tc in self._template.tc_lst:
            tc.p_lst[0].style = style_id
        head = self.append(columns)
        for run in head.iter(qn("w:r")):
            run.get_or_add_rPr().append(OxmlElement("w:b"))
        for paragraph in head.iter(qn("w:p")):
            paragraph.get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.CENTER
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        head.get_or_add_trPr().append(flag)
        self._tbl.remove(table.rows[0]._tr)

    def append(self, values: Sequence[str | int]) -> Any:
        """Add a row of plain text (line breaks kept); returns its w:tr element."""
        tr = deepcopy(self._template)
        for tc, value in zip(tr.tc_lst, values, strict=True):
            tc.p_lst[0].add_r().text = str(value)
        self._tbl.append(tr)
        return tr


async def write_docx(
    synthesis: Synthesis,
    rows: AsyncIterable[SynthesisRow],
    out: IO[bytes],
    *,
    tz_name: str,
    place: str | None = None,
) -> int:
    """Write the report to `out`; returns the number of table rows."""
    document = _new_document()
    _letterhead(document, synthesis, tz_name, place)
    header = synthesis.header
    _line(document, labels.TITLE, bold=True, size=14)
    _line(document, labels.SUBTITLE.format(title=header.title), bold=True)
    if header.status not in ("closed", "reported"):
        _line(document, labels.PROVISIONAL, italic=True)
    for text in labels.header_lines(header, tz_name):
        _line(document, text, center=False)
    _line(document, labels.SUMMARY_HEADING, bold=True, center=False)
    summary = _Table(document, labels.SUMMARY_COLUMNS, SUMMARY_WIDTHS_CM)
    for article in synthesis.articles:
        summary.append(labels.summary_values(article))
    _line(document, labels.TABLE_HEADING, bold=True, center=False)
    table = _Table(document, labels.TABLE_COLUMNS, TABLE_WIDTHS_CM)
    count = 0
    async for row in rows:
        table.append(labels.row_values(row))
        count += 1
    document.save(out)
    return count
