"""Typed text as it enters the flows: normalised, invisible characters gone."""

from __future__ import annotations

from consultations.text import normalize_text


def clean_input(raw: str) -> str | None:
    """The text normalised (NFC, one tone-mark style, no control or zero-width characters).

    None when nothing visible is left, so "   " or a lone zero-width space is
    answered as an empty message rather than stored.
    """
    text = normalize_text(raw)
    return text or None
