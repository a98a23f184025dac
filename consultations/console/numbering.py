"""Word's automatic list numbering, rebuilt as text ("Điều 3.", "2.", "a)").

A paragraph in a list carries only (numId, level); the text shown comes from
the level's format in numbering.xml ("Điều %1.", decimal, start 1) and a running
counter. We follow the common cases: direct or style numbering, decimal,
letters, roman numerals and bullets; a deeper level restarts when a shallower
one advances, as in Word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.document import Document
from docx.text.paragraph import Paragraph

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str


def _roman(number: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in values:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _letters(number: int) -> str:
    """a..z, then aa, bb... as Word writes them."""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(number: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(number)
    if fmt == "upperLetter":
        return _letters(number).upper()
    if fmt == "lowerRoman":
        return _roman(number).lower()
    if fmt == "upperRoman":
        return _roman(number)
    return str(number)


def _val(element: Any, tag: str, default: str | None = None) -> str | None:
    found = element.find(f"{_W}{tag}") if element is not None else None
    return found.get(f"{_W}val", default) if found is not None else default


@dataclass
class Numbering:
    """The list definitions of one document and the counters while reading it in order."""

    levels: dict[str, dict[int, _Level]]
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Document) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return cls({})
        abstract = {a.get(f"{_W}abstractNumId"): cls._abstract_levels(a)
                    for a in root.iter(f"{_W}abstractNum")}
        levels = {}
        for num in root.iter(f"{_W}num"):
            base = abstract.get(_val(num, "abstractNumId"), {})
            levels[str(num.get(f"{_W}numId"))] = dict(base) | cls._overrides(num, base)
        return cls(levels)

    @staticmethod
    def _abstract_levels(element: Any) -> dict[int, _Level]:
        return {
            int(lvl.get(f"{_W}ilvl", "0")): _Level(
                start=int(_val(lvl, "start", "1") or 1),
                fmt=_val(lvl, "numFmt", "decimal") or "decimal",
                text=_val(lvl, "lvlText", "") or "",
            )
            for lvl in element.iter(f"{_W}lvl")
        }

    @staticmethod
    def _overrides(num: Any, base: dict[int, _Level]) -> dict[int, _Level]:
        out = {}
        for override in num.iter(f"{_W}lvlOverride"):
            level = int(override.get(f"{_W}ilvl", "0"))
            start = _val(override, "startOverride")
            if start is not None and level in base:
                old = base[level]
                out[level] = _Level(int(start), old.fmt, old.text)
        return out

    def label(self, paragraph: Paragraph) -> str:
        """The number Word shows before this paragraph, advancing the counters; "" if none."""
        num_id, level = _num_pr(paragraph)
        if num_id is None or num_id not in self.levels or level not in self.levels[num_id]:
            return ""
        definition = self.levels[num_id][level]
        if definition.fmt == "bullet":
            return "-"
        if definition.fmt == "none":
            return definition.text
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, definition.start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > level]:
            del counters[deeper]
        text = definition.text
        for lvl, known in self.levels[num_id].items():
            value = counters.get(lvl, known.start)
            text = text.replace(f"%{lvl + 1}", format_number(value, known.fmt))
        return text.strip()


def _num_pr(paragraph: Paragraph) -> tuple[str | None, int]:
    """(numId, level) set on the paragraph itself, else on its style."""
    for holder in (paragraph._p, getattr(paragraph.style, "element", None)):
        ppr = holder.find(f"{_W}pPr") if holder is not None else None
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            if num_id in (None, "0"):
                return None, 0
            return num_id, int(_val(num_pr, "ilvl", "0") or 0)
    return None, 0
