"""Draft legal documents: parsing pasted text into the articles citizens comment on."""

from consultations.drafts.parser import (
    POINT_LETTERS,
    Clause,
    DraftParseError,
    ParsedDraft,
    Point,
    Section,
    SectionKind,
    parse_draft,
    render_article,
)

__all__ = [
    "POINT_LETTERS",
    "Clause",
    "DraftParseError",
    "ParsedDraft",
    "Point",
    "Section",
    "SectionKind",
    "parse_draft",
    "render_article",
]
