"""Removing personal data from comments before they are shown publicly.

Citizens often sign a comment with their phone number, ID card number or e-mail
("liên hệ 0912 345 678"). The agency may keep that privately, but the published
comment list must not expose it, so :func:`redact_pii` replaces it with placeholders.

The patterns are deliberately shaped (known prefixes, known digit groupings, guards
against dates, law numbers and amounts) because legal comments are full of numbers
that are not personal: "Điều 12", "Luật số 64/2025/QH15", "27/11/2026",
"5.000.000 đồng", "năm 2025".
"""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDERS", "find_pii", "redact_pii"]

PLACEHOLDERS: dict[str, str] = {
    "phone": "[số điện thoại]",
    "id": "[số định danh]",
    "email": "[email]",
}

_SEP = r"[ .\-]?"


def _layouts(*layouts: tuple[int, ...]) -> str:
    """Regex alternation of digit groupings, e.g. (4, 3, 3) for "0912 345 678".

    Separators are only allowed between the listed groups, so runs such as
    "05.09.2026 09" (a date then an hour) cannot be read as a phone number.
    """
    return "|".join(_SEP.join(rf"\d{{{n}}}" for n in layout) for layout in layouts)


# Mobile: 0 + 9 digits starting 3/5/7/8/9; landline: 0 + 2 + 9 digits (e.g. 024 3825 1234).
_MOBILE = rf"(?=0[35789])(?:{_layouts((10,), (4, 3, 3), (3, 3, 4), (3, 4, 3), (4, 6))})"
_LANDLINE = (
    rf"\((?=02)\d{{3}}\) ?(?:{_layouts((8,), (4, 4))})"
    rf"|\((?=02)\d{{4}}\) ?(?:{_layouts((7,), (3, 4))})"
    rf"|(?=02)(?:{_layouts((11,), (3, 4, 4), (3, 8), (4, 7), (4, 3, 4))})"
)
# International: +84 / (+84) / 84 followed by the number without its leading 0.
_INTERNATIONAL = (
    r"(?:\+84|\(\+84\)|84)[ .\-]?"
    rf"(?:(?=[35789])(?:{_layouts((9,), (3, 3, 3), (2, 3, 4), (2, 4, 3), (3, 6))})"
    rf"|(?=2)(?:{_layouts((10,), (2, 4, 4), (2, 8), (3, 7), (3, 3, 4))}))"
)
# CCCD: 12 digits, always starting with a 0 (province code 001-096); old CMND: 9 digits.
_ID = (
    r"(?=0)(?:\d{12}|\d{4} \d{4} \d{4}|\d{3}[ .]\d{3}[ .]\d{3}[ .]\d{3})"
    r"|\d{9}|\d{3} \d{3} \d{3}"
)
_EMAIL = r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}"

# A number glued to a preceding digit group, slash or decimal point is part of something
# bigger (a date, "64/2025/QH15", an amount); so is one followed by a unit of money/percent.
_BEFORE = r"(?<![\d/])(?<!\d[.,\-])"
_AFTER = (
    r"(?![\d/])(?![.,\-]\d)"
    r"(?!\s*(?:%|đồng|đ\b|vnđ|vnd|usd|triệu|tỷ|tỉ|nghìn|ngàn))"
)
_PII = re.compile(
    rf"(?P<email>{_EMAIL})"
    rf"|{_BEFORE}(?:(?P<phone>{_MOBILE}|{_LANDLINE}|{_INTERNATIONAL})|(?P<id>{_ID})){_AFTER}",
    re.IGNORECASE,
)
# Thousands-grouped amounts written without a unit: "84.500.000.000".
_AMOUNT = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")


def find_pii(s: str) -> list[tuple[str, str]]:
    """List (kind, matched text) for every piece of personal data found, in order.

    Kinds are the keys of :data:`PLACEHOLDERS`. Exposed for tests and diagnostics.
    """
    return [(kind, match.group()) for kind, match in _matches(s)]


def redact_pii(s: str) -> str:
    """Replace phone numbers, ID numbers and e-mails in ``s`` with placeholders."""
    parts: list[str] = []
    last = 0
    for kind, match in _matches(s):
        parts.extend((s[last : match.start()], PLACEHOLDERS[kind]))
        last = match.end()
    parts.append(s[last:])
    return "".join(parts)


def _matches(s: str) -> list[tuple[str, re.Match[str]]]:
    """All PII matches with their kind, minus unit-less amounts that merely look like one."""
    found: list[tuple[str, re.Match[str]]] = []
    for match in _PII.finditer(s):
        kind = match.lastgroup or ""
        if kind != "email" and _AMOUNT.fullmatch(match.group()):
            continue
        found.append((kind, match))
    return found
