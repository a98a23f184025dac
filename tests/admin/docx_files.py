"""Word files made in the test with python-docx, as agencies write them (Vietnamese drafts)."""

from __future__ import annotations

import io

import docx
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

ARTICLES = [
    ("Phạm vi điều chỉnh", "Quy định này quy định việc quản lý, phát triển chợ trên địa bàn tỉnh."),
    ("Đối tượng áp dụng", "Cơ quan, tổ chức, cá nhân có hoạt động liên quan đến chợ."),
    ("Giải thích từ ngữ", "Chợ là nơi mua bán hàng hoá được hình thành lâu đời."),
    ("Hiệu lực thi hành", "Quyết định này có hiệu lực kể từ ngày 01 tháng 01 năm 2027."),
]


def _bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def market_draft() -> bytes:
    """A draft decision with a chapter heading, four "Điều N." articles and clauses."""
    document = docx.Document()
    document.add_paragraph("DỰ THẢO")
    document.add_heading("QUYẾT ĐỊNH", level=1)
    document.add_paragraph("Ban hành Quy định quản lý chợ trên địa bàn tỉnh Minh Sơn")
    document.add_heading("Chương I", level=2)
    document.add_paragraph("QUY ĐỊNH CHUNG")
    for number, (heading, body) in enumerate(ARTICLES, start=1):
        document.add_paragraph(f"Điều {number}. {heading}")
        document.add_paragraph(body)
        if number == 2:
            document.add_paragraph("1. Ban quản lý chợ.")
            document.add_paragraph("2. Thương nhân kinh doanh tại chợ.")
    return _bytes(document)


_ABSTRACT = (
    '<w:abstractNum {ns} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="Điều %1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%2."/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%3)"/></w:lvl></w:abstractNum>'
)


def auto_numbered_draft() -> bytes:
    """Articles, clauses and points numbered by Word itself ("Điều %1.", "%2.", "%3)")."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_ABSTRACT.format(ns=nsdecls("w"))))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("Phạm vi điều chỉnh", 0)
    document.add_paragraph("Nghị quyết này quy định mức thu phí.")
    numbered("Đối tượng áp dụng", 0)
    numbered("Người nộp phí.", 1)
    numbered("Cơ quan thu phí:", 1)
    numbered("Ủy ban nhân dân cấp xã;", 2)
    numbered("Ban quản lý chợ.", 2)
    numbered("Hiệu lực thi hành", 0)
    document.add_paragraph("Nghị quyết này có hiệu lực từ ngày ký.")
    return _bytes(document)
