"""Replies as Zalo Bot messages: plain text, buttons as numbered lines, within 2,000 characters.

The Zalo Bot has no buttons, so a reply's buttons become "1. Xem dự thảo" lines
under the text, numbered by `consultations.numbered_options.options_of`, the same
function that maps a typed "1" back to the action. sendMessage takes 1 to 2,000
characters; we count UTF-16 code units (an emoji counts two), the stricter reading,
and split a longer text (a relayed answer may be 3,000 characters) into several
messages, the options always on the last.
"""

from __future__ import annotations

from typing import Any

from consultations.numbered_options import options_of
from handlers.paging import split_pages

MAX_TEXT = 2000
EMPTY = "…"


def units(text: str) -> int:
    """Length as the platform may count it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def render(payload: dict[str, Any]) -> list[str]:
    """The texts of one outbox row, in order: one sendMessage each."""
    body = str(payload.get("text") or "").strip()
    link = _link(payload.get("attachment"))
    if link:
        body = f"{body}\n\n{link}" if body else link
    lines = [f"{o.number}. {o.label}" for o in options_of(payload)]
    block = "\n".join(lines)
    parts = fit(body) if body else []
    if block and parts and units(f"{parts[-1]}\n\n{block}") <= MAX_TEXT:
        parts[-1] = f"{parts[-1]}\n\n{block}"
    elif block:
        parts.extend(fit(block))
    return parts or [EMPTY]


def fit(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pages of at most `limit` UTF-16 units, split at paragraph, line or word boundaries."""
    size = limit
    while True:
        pages = [page for page in split_pages(text, size) if page.strip()]
        if all(units(page) <= limit for page in pages) or size <= limit // 4:
            return [_cut(page, limit) for page in pages]
        size -= max(1, size // 10)  # astral characters made a page too long: smaller pages


def _cut(page: str, limit: int) -> str:
    """A last resort for a page of mostly astral characters: drop what does not fit."""
    total = 0
    for index, char in enumerate(page):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > limit:
            return page[:index]
    return page


def _link(attachment: object) -> str | None:
    """A file offered with the reply, as a line with its https address."""
    if not isinstance(attachment, dict):
        return None
    url = str(attachment.get("url") or "")
    if not url.startswith("https://"):
        return None
    name = str(attachment.get("name") or "").strip()
    return f"📎 {name}: {url}" if name else f"📎 {url}"
