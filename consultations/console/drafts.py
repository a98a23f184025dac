"""Preview a draft before it is imported: what citizens will read, article by article."""

from __future__ import annotations

import re
from dataclasses import dataclass

from consultations.drafts import DraftParseError, parse_draft
from consultations.errors import InvalidInput

MAX_DRAFT_CHARS = 1_000_000  # a long law is ~300,000 characters
_WARNING = re.compile(
    r"(?P<kind>duplicate_article|article_out_of_order): (?P<label>.+?)"
    r" (?:appears more than once|follows (?P<previous>.+))$"
)


@dataclass(frozen=True)
class ArticlePreview:
    label: str
    heading: str
    body: str
    path: str


@dataclass(frozen=True)
class DraftWarning:
    """A numbering slip: `kind` is a message key suffix, labels name the articles."""

    kind: str
    label: str
    previous: str = ""


@dataclass(frozen=True)
class DraftPreview:
    title: str | None
    articles: list[ArticlePreview]
    warnings: list[DraftWarning]
    divisions: int


def _warning(raw: str) -> DraftWarning:
    found = _WARNING.match(raw)
    if found is None:
        return DraftWarning("other", raw)
    return DraftWarning(found["kind"], found["label"], found["previous"] or "")


def preview(text: str) -> DraftPreview:
    """The parsed draft, or InvalidInput with the parser's key when nothing can be read."""
    if len(text) > MAX_DRAFT_CHARS:
        raise InvalidInput("draft.too_long", max=MAX_DRAFT_CHARS)
    try:
        parsed = parse_draft(text)
    except DraftParseError as error:
        raise InvalidInput(error.message_key) from error
    articles = [
        ArticlePreview(a.label, a.heading, a.body, " › ".join(a.path)) for a in parsed.articles
    ]
    return DraftPreview(
        title=parsed.title,
        articles=articles,
        warnings=[_warning(raw) for raw in parsed.warnings],
        divisions=len(parsed.sections) - len(articles),
    )
