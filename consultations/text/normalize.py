"""Canonical form for every piece of citizen text we store.

Comments reach us from Telegram, Zalo and the web chat, typed on different keyboards
and pasted from Word, PDFs and Facebook. The same sentence can therefore arrive as
several different strings: decomposed or precomposed Unicode, tone marks in different
places ("hòa" vs "hoà"), invisible zero-width or bidi characters, stray control bytes,
Windows line endings. Everything downstream (search, de-duplication, the abuse filter,
exports for the drafting committee) needs one spelling per sentence, so every stored
text goes through :func:`normalize_text` first.

Tone convention: the "new style" (kiểu mới, also the rule in the Ministry of Education's
2018 spelling rules): the tone mark sits on the main vowel of the syllable. For the open
two-vowel rhymes "oa", "oe" and "uy" that is the second vowel, so "hòa" -> "hoà",
"khỏe" -> "khoẻ", "thủy" -> "thuỷ", "ủy ban" -> "uỷ ban". After "qu" and "gi" the tone
goes on the following vowel ("qúy" -> "quý", "gịa" -> "giạ"). Syllables whose placement
does not depend on the convention ("hoàng", "quà", "giữa", "người") come out unchanged.
Tokens that are not a single well-formed Vietnamese syllable (foreign words such as
"café", words with two tone marks, glued syllables) are left exactly as typed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["normalize_line", "normalize_text"]

# Zero-width characters, the soft hyphen and bidi controls: invisible, so they only ever
# make two identical-looking strings compare different (or reorder text for display).
_INVISIBLE = "\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE + _BIDI))

# Every other way of saying "new line" (CR, VT, FF, file/group/record separators, NEL,
# LINE/PARAGRAPH SEPARATOR) becomes a plain "\n".
_TO_NEWLINE = dict.fromkeys(map(ord, "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), "\n")

# Remaining C0/C1 controls (tab and newline excepted) and lone surrogates, which cannot
# even be encoded as UTF-8 for the database.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_SPACE_RUN = re.compile(r"[^\S\n]+")
_TRAILING_SPACE = re.compile(r" +\n")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_ANY_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+")

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
# Vowel-shape marks and the base vowels they may sit on: â ê ô, ă, ơ ư.
_SHAPE_MARKS = {"\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}
_VOWELS = frozenset("aeiouy")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ")
_PLAIN_VOWELS = frozenset("aăâeêioôơuưy")
_SHAPED_VOWELS = frozenset("ăâêôơư")
_INITIALS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip
_FINALS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})
# Open rhymes where the new style puts the tone on the second vowel (hoà, khoẻ, thuỷ).
_SECOND_VOWEL_RHYMES = frozenset({"oa", "oe", "uy"})


def normalize_text(s: str) -> str:
    """Return the canonical stored form of a (possibly multi-line) citizen text.

    Idempotent, so it is safe to apply again to text that was already stored.
    """
    s = s.translate(_DROP_INVISIBLE)
    s = s.replace("\r\n", "\n").translate(_TO_NEWLINE)
    s = _CONTROLS.sub("", s)
    s = unicodedata.normalize("NFC", s)
    s = _WORD.sub(_retone_match, s)
    s = _SPACE_RUN.sub(" ", s)
    s = _TRAILING_SPACE.sub("\n", s).strip()
    return _MANY_NEWLINES.sub("\n\n", s)


def normalize_line(s: str) -> str:
    """Like :func:`normalize_text` but on one line, for names, titles and menu input."""
    return _ANY_WHITESPACE.sub(" ", normalize_text(s))


def _retone_match(match: re.Match[str]) -> str:
    """Regex callback: re-place the tone mark of one word (ASCII words have none)."""
    word = match.group()
    return word if word.isascii() else place_tone(word)


@functools.lru_cache(maxsize=32_768)
def place_tone(word: str) -> str:
    """Move the tone mark of one NFC Vietnamese syllable to its new-style position.

    Remembered per word: Vietnamese has a few thousand syllables in use, and every
    message a citizen types goes through here several times (storing, matching).

    Case is preserved letter by letter ("HÒA" -> "HOÀ"). Anything that is not a single
    syllable carrying exactly one tone mark is returned unchanged, because guessing on
    foreign or malformed words would corrupt them.
    """
    split = _split_tone(word)
    if split is None:
        return word
    toneless, tone = split
    target = _tone_position(toneless.lower())
    if target is None:
        return word
    letters = list(toneless)
    letters[target] = unicodedata.normalize("NFC", letters[target] + tone)
    return "".join(letters)


def _split_tone(word: str) -> tuple[str, str] | None:
    """Return (word without its tone mark, the tone mark) or None if not applicable.

    None means: some character is not a Vietnamese letter, a mark sits where Vietnamese
    never puts one, there are two tone marks, or there is no tone mark at all.
    """
    toneless: list[str] = []
    tone = ""
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        lower = base.lower()
        if lower not in _LETTERS:
            return None
        shape = ""
        for mark in marks:
            if mark in _TONE_MARKS and not tone and lower in _VOWELS:
                tone = mark
            elif lower in _SHAPE_MARKS.get(mark, "") and not shape:
                shape = mark
            else:
                return None
        toneless.append(unicodedata.normalize("NFC", base + shape))
    return ("".join(toneless), tone) if tone else None


def _tone_position(plain: str) -> int | None:
    """Index of the vowel that carries the tone in a lowercase toneless syllable.

    None if the letters do not parse as initial consonant + 1..3 vowels + final consonant.
    """
    initial = next(i for i in (*_INITIALS, "") if plain.startswith(i))
    if initial in ("gi", "qu") and not any(ch in _PLAIN_VOWELS for ch in plain[2:]):
        initial = initial[0]  # "gì", "gìn": the i is the vowel, not part of "gi"
    rest = plain[len(initial) :]
    vowel_count = len(rest) - len(rest.lstrip("".join(_PLAIN_VOWELS)))
    nucleus, final = rest[:vowel_count], rest[vowel_count:]
    if not 1 <= len(nucleus) <= 3 or final not in _FINALS:
        return None
    return len(initial) + _nucleus_offset(nucleus, final)


def _nucleus_offset(nucleus: str, final: str) -> int:
    """Position of the main vowel inside a 1..3 letter vowel cluster (new style)."""
    shaped = [i for i, ch in enumerate(nucleus) if ch in _SHAPED_VOWELS]
    if shaped:
        return shaped[-1]  # "người", "chuyện", "giữa", "thuở"
    if final:
        return len(nucleus) - 1  # "hoàng", "toán", "huỳnh"
    if len(nucleus) == 3:
        return 1  # "ngoài", "khuỷu", "xoáy"
    if nucleus in _SECOND_VOWEL_RHYMES:
        return 1  # "hoà", "khoẻ", "thuỷ"
    return 0  # "mái", "mùa", "mía", "núi"
