"""The text catalogs: every key in both languages, with the same placeholders."""

from __future__ import annotations

import string

from handlers.texts import CATALOGS


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_vietnamese_text_has_an_english_twin_with_the_same_placeholders() -> None:
    vi, en = CATALOGS["vi"], CATALOGS["en"]
    assert set(vi) == set(en), f"missing in en: {set(vi) - set(en)}; in vi: {set(en) - set(vi)}"
    mismatched = [key for key in vi if _fields(vi[key]) != _fields(en[key])]
    assert mismatched == [], f"placeholders differ for {mismatched}"


def test_texts_are_nfc_normalised() -> None:
    import unicodedata

    bad = [k for c in CATALOGS.values() for k, v in c.items()
           if unicodedata.normalize("NFC", v) != v]
    assert bad == []
