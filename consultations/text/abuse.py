"""Flagging profanity and insults in citizen comments before publication.

A public consultation must publish criticism, including harsh criticism, but not
obscenities or personal insults. This filter only flags; moderators decide.

Matching works on whole words (and whole-word phrases) of the normalised, lowercased
text, never on substrings, and keeps the diacritics of words that would otherwise
collide with ordinary vocabulary. See :mod:`consultations.text.abuse_words` for how
the built-in lists are designed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from consultations.text.abuse_words import (
    ALLOW_PHRASES,
    EXACT_TERMS,
    TEENCODE_TERMS,
    UNIT_TERMS,
)
from consultations.text.normalize import normalize_line

__all__ = ["DEFAULT_FILTER", "AbuseFilter", "abusive_terms", "is_abusive"]

# A word may contain "*" used to mask letters ("đ*t", "l**n"); it must start with a
# letter or digit so that "*quan trọng*" emphasis is not taken as a mask.
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|\*)*")
# Single letters joined by dots/dashes/underscores are one word: "đ.m", "v-c-l".
_SPELLED_OUT = re.compile(r"(?<![\w.])[^\W\d_](?:[.\-_][^\W\d_])+(?!\w)")
_SPELLING_SEPARATORS = re.compile(r"[.\-_]")
_ELONGATION = re.compile(r"(.)\1{2,}")
_MASK = re.compile(r"\*+")


@dataclass(frozen=True)
class _Term:
    """One list entry, tokenised in the form it is matched on."""

    text: str  # normalised entry, as reported by abusive_terms()
    tokens: tuple[str, ...]  # exact lowercase tokens, or teencode keys
    teencode: bool


def _tokens(s: str) -> list[str]:
    """Lowercase word tokens of ``s`` with spelled-out abbreviations joined."""
    text = normalize_line(s).casefold()
    text = _SPELLED_OUT.sub(lambda m: _SPELLING_SEPARATORS.sub("", m.group()), text)
    return _TOKEN.findall(text)


def _key(token: str) -> str:
    """Teencode key: "đ" typed as "d", tone marks kept (so "đít" is not "dit")."""
    return token.replace("đ", "d")


def _make_term(entry: str) -> _Term | None:
    """Tokenise a list entry; all-ASCII entries (after đ -> d) are teencode."""
    tokens = _tokens(entry)
    if not tokens:
        return None
    keys = tuple(_key(t) for t in tokens)
    teencode = all(k.isascii() for k in keys)
    return _Term(" ".join(tokens), keys if teencode else tuple(tokens), teencode)


def _make_terms(entries: Iterable[str]) -> list[_Term]:
    """Tokenise entries, dropping empty ones and duplicates while keeping order."""
    terms = (_make_term(entry) for entry in entries)
    return list(dict.fromkeys(t for t in terms if t is not None))


def _mask_pattern(token: str) -> re.Pattern[str]:
    """Regex for a masked token: each run of "*" stands for one or more letters."""
    parts = [re.escape(part) for part in _MASK.split(_key(token))]
    return re.compile(r"\w+".join(parts))


class _Index:
    """Terms indexed by first token so a text is scanned once, not once per term."""

    def __init__(self, terms: Iterable[_Term]) -> None:
        self._by_first: dict[tuple[bool, str], list[_Term]] = {}
        for term in terms:
            self._by_first.setdefault((term.teencode, term.tokens[0]), []).append(term)

    def occurrences(self, tokens: list[str], keys: list[str]) -> Iterator[tuple[int, int, _Term]]:
        """Yield (start, end, term) for every whole-word occurrence of every term."""
        for i, (token, key) in enumerate(zip(tokens, keys, strict=True)):
            for teencode, first in ((False, token), (True, key)):
                for term in self._by_first.get((teencode, first), ()):
                    end = i + len(term.tokens)
                    window = keys[i:end] if teencode else tokens[i:end]
                    if tuple(window) == term.tokens:
                        yield i, end, term

    def single(self, teencode: bool, first: str) -> list[_Term]:
        """One-word terms whose only token is ``first``."""
        return [t for t in self._by_first.get((teencode, first), ()) if len(t.tokens) == 1]


class AbuseFilter:
    """Whole-word abuse matcher; a deployment can add words and allow-list phrases.

    ``extra_words`` and ``allow`` follow the rules of the built-in lists: an entry with
    Vietnamese diacritics matches only with those diacritics, an ASCII entry matches
    teencode-style (case-insensitive, "đ" = "d"). A word that also appears in ``allow``
    is switched off entirely; a longer allowed phrase suppresses hits inside it.
    """

    def __init__(
        self,
        extra_words: Iterable[str] = (),
        allow: Iterable[str] = (),
        *,
        include_defaults: bool = True,
    ) -> None:
        words = [*EXACT_TERMS, *TEENCODE_TERMS] if include_defaults else []
        allowed = [*ALLOW_PHRASES] if include_defaults else []
        allow_terms = _make_terms([*allowed, *allow])
        self._terms = [t for t in _make_terms([*words, *extra_words]) if t not in allow_terms]
        self._index = _Index(self._terms)
        self._allow = _Index(allow_terms)

    def is_abusive(self, s: str) -> bool:
        """True if ``s`` contains at least one listed word or phrase."""
        return bool(self.abusive_terms(s))

    def abusive_terms(self, s: str) -> list[str]:
        """The list entries found in ``s``, in order of first appearance, without repeats."""
        tokens = _tokens(s)
        keys = [_key(t) for t in tokens]
        allowed = [(a, b) for a, b, _ in self._allow.occurrences(tokens, keys)]
        found: dict[str, None] = {}
        for start, end, term in sorted(self._hits(tokens, keys), key=_longest_first):
            if not any(a <= start and end <= b for a, b in allowed):
                found.setdefault(term.text)
        return list(found)

    def _hits(self, tokens: list[str], keys: list[str]) -> Iterator[tuple[int, int, _Term]]:
        """Phrase hits, plus one-word hits on elongated ("vclll") or masked ("đ*t") tokens."""
        for start, end, term in self._index.occurrences(tokens, keys):
            if not _is_unit(term, tokens, start):
                yield start, end, term
        for i, key in enumerate(keys):
            for term in self._elongated(key) + self._masked(key):
                yield i, i + 1, term

    def _elongated(self, key: str) -> list[_Term]:
        """Teencode hits once repeated letters are squeezed: "vclll" -> "vcl", "dmmmm" -> "dmm"."""
        if not _ELONGATION.search(key):
            return []
        for variant in (_ELONGATION.sub(r"\1\1", key), _ELONGATION.sub(r"\1", key)):
            if terms := self._index.single(True, variant):
                return terms[:1]
        return []

    def _masked(self, key: str) -> list[_Term]:
        """The first one-word term a masked token can stand for: "đ*t" -> "địt"."""
        if "*" not in key:
            return []
        pattern = _mask_pattern(key)
        for term in self._terms:
            if len(term.tokens) == 1 and pattern.fullmatch(_key(term.tokens[0])):
                return [term]
        return []


def _longest_first(hit: tuple[int, int, _Term]) -> tuple[int, int]:
    """Report hits by position, the longer phrase first: "địt mẹ" before "địt"."""
    start, end, _ = hit
    return start, start - end


def _is_unit(term: _Term, tokens: list[str], start: int) -> bool:
    """True for "cc"/"dm" right after a number: "xe 50 cc" is engine size, not abuse."""
    return term.teencode and term.text in UNIT_TERMS and start > 0 and tokens[start - 1].isdigit()


DEFAULT_FILTER = AbuseFilter()


def is_abusive(s: str) -> bool:
    """True if ``s`` contains built-in profanity or insults (see :data:`DEFAULT_FILTER`)."""
    return DEFAULT_FILTER.is_abusive(s)


def abusive_terms(s: str) -> list[str]:
    """Built-in list entries found in ``s``; for moderators' "why was this flagged"."""
    return DEFAULT_FILTER.abusive_terms(s)
