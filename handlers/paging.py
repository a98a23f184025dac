"""Splitting long texts into pages every channel can show."""

from __future__ import annotations


def split_pages(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries, each page within `limit`."""
    pages: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        joined = f"{current}\n{piece}" if current else piece
        if len(joined) <= limit:
            current = joined
        else:
            pages.append(current)
            current = piece
    if current or not pages:
        pages.append(current)
    return pages


def _pieces(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        pieces.append(line)
    return pieces
