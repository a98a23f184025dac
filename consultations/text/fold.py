"""Diacritic-insensitive matching keys.

Many citizens type without Vietnamese diacritics (no input method on a borrowed phone,
or habit), in any case, with stray punctuation. Menu words, search and near-duplicate
detection must treat "Góp ý", "GÓP Ý", "gop y" and "gop  y!" as the same thing, so they
compare :func:`fold` keys instead of raw text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from consultations.text.normalize import normalize_line

__all__ = ["fold", "words"]

# Letters that carry their "diacritic" as part of the letter itself and so do not
# decompose: only đ matters for Vietnamese (casefold has already turned Đ into đ).
_BARRED = str.maketrans({"đ": "d"})
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
_WORD = re.compile(r"[^\W_]+")


# The same text is folded several times while one message is handled (menu words, article
# numbers, near-duplicate keys), so the last few keys are remembered.
@functools.lru_cache(maxsize=256)
def fold(s: str) -> str:
    """Return the matching key of ``s``: no case, no diacritics, no edge punctuation.

    "Góp ý" -> "gop y", "Điều 2" -> "dieu 2". Compatibility forms are folded too
    (full-width digits, ligatures), since they are just other ways to type the same key.
    """
    text = unicodedata.normalize("NFKD", normalize_line(s).casefold())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = _SPACES.sub(" ", text.translate(_BARRED))
    return _EDGE_PUNCTUATION.sub("", text)


def words(s: str) -> list[str]:
    """Folded word tokens (runs of letters and digits) of ``s``.

    Used where word identity matters but spelling variants must not, such as the
    near-duplicate fingerprints of campaign comments.
    """
    return _WORD.findall(fold(s))
