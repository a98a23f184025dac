"""Making citizen text safe to print in documents and spreadsheets.

Three dangers, one place: personal data (phone, ID and e-mail are redacted),
characters an XML file cannot hold (DOCX and XLSX are XML; one stray control
byte would make the whole file unreadable), and spreadsheet formulas (a cell
that starts with = + - @ is run as a formula by Excel and LibreOffice, so a
comment "=HYPERLINK(...)" could turn the agency's own report against it).
"""

from __future__ import annotations

import re
import unicodedata

from consultations.text import redact_pii

# XML 1.0 allows tab, newline and carriage return among the C0 controls, and no
# surrogates or U+FFFE/U+FFFF; Word and Excel refuse the rest.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What spreadsheets read as the start of a formula (OWASP "CSV injection"): the four
# operators, and tab and carriage return, which some programs skip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str | None) -> str:
    """NFC text with characters an XML document cannot hold removed.

    Enough for what the agency wrote itself (titles, article headings, its name);
    citizens' text and staff reasons, which may quote it, also go through `public`.
    """
    return _NOT_XML.sub("", unicodedata.normalize("NFC", text or ""))


def public(text: str | None) -> str:
    """Text fit to publish: printable, with phone numbers, ID numbers and e-mails redacted."""
    return redact_pii(printable(text))


def spreadsheet_safe(value: str) -> str:
    """Prefix a text a spreadsheet would run as a formula with an apostrophe.

    The apostrophe is the convention spreadsheets themselves use for "this is
    text", and it stays visible, so a reader sees that the citizen typed '='.
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value
