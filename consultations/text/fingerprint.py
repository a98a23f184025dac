"""Near-duplicate detection for campaign-style comments.

Organised campaigns send the same petition hundreds of times, each copy with a
different greeting, signature, phone number or a few words changed. The drafting
committee wants to see them grouped ("412 near-identical comments") rather than read
each one, so every comment gets a 64-bit SimHash fingerprint: similar texts get
fingerprints that differ in few bits.

Fingerprints are computed over word 3-shingles of the folded text (no case, no
diacritics, no punctuation) after personal data is replaced by placeholders, so that
diacritics, punctuation and the signer's contact details do not matter. Hashing uses
hashlib, never ``hash()``, so fingerprints stored by one process match those of another.
"""

from __future__ import annotations

import functools
import hashlib
import re

from consultations.text.fold import words
from consultations.text.pii import redact_pii

__all__ = [
    "BAND_COUNT",
    "NEAR_DUPLICATE_THRESHOLD",
    "bands",
    "fingerprint",
    "hamming_distance",
    "is_near_duplicate",
    "similarity",
]

_BITS = 64
_SHINGLE = 3
BAND_COUNT = 4
_BAND_HEX = _BITS // 4 // BAND_COUNT  # 16 bits = 4 hex digits per band
_HEX_FINGERPRINT = re.compile(r"[0-9a-fA-F]{16}")

# Similarity (1 - hamming/64) at or above which two comments count as one campaign text.
# 0.75 allows 16 differing bits. Calibrated on Vietnamese land-law comments: a petition
# with a new greeting, another signer's name and phone, or two or three words changed
# stays within ~6-15 bits; unrelated comments on the same draft differ by ~32 bits (a
# binomial spread, so about 1 pair in 10,000 falls to 16). Diacritics, punctuation,
# case and tone placement do not change a fingerprint at all.
NEAR_DUPLICATE_THRESHOLD = 0.75


# A comment is fingerprinted when its near-duplicates are looked up and again when it is
# stored, a step or two later: the last few are remembered.
@functools.lru_cache(maxsize=256)
def fingerprint(s: str) -> str:
    """64-bit SimHash of ``s`` as 16 lowercase hex digits.

    Texts of fewer than three words hash their single words instead of shingles, so
    even "Đồng ý" gets a stable fingerprint; an empty text hashes to all zeros.
    """
    tokens = words(redact_pii(s))
    size = _SHINGLE if len(tokens) >= _SHINGLE else 1
    shingles = [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]
    votes = [0] * _BITS
    for shingle in shingles:
        feature = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest())
        for bit in range(_BITS):
            votes[bit] += 1 if feature >> bit & 1 else -1
    value = sum(1 << bit for bit, vote in enumerate(votes) if vote > 0)
    return f"{value:016x}"


def hamming_distance(a_fp: str, b_fp: str) -> int:
    """Number of differing bits between two fingerprints."""
    return (_parse(a_fp) ^ _parse(b_fp)).bit_count()


def similarity(a_fp: str, b_fp: str) -> float:
    """Similarity in [0, 1]: 1.0 for identical fingerprints, about 0.5 for unrelated texts."""
    return 1.0 - hamming_distance(a_fp, b_fp) / _BITS


def is_near_duplicate(a_fp: str, b_fp: str) -> bool:
    """True if the two fingerprints are similar enough to group the comments together."""
    return similarity(a_fp, b_fp) >= NEAR_DUPLICATE_THRESHOLD


def bands(fp: str) -> list[str]:
    """LSH keys "0:ab12" .. "3:9f00", one per 16-bit quarter of the fingerprint.

    The database indexes these to fetch candidate near-duplicates by exact match. Two
    fingerprints within Hamming distance 3 always share a band (4 bands, at most 3 can
    differ); more distant near-duplicates are found only when they happen to share one.
    """
    hex_digits = f"{_parse(fp):016x}"
    return [f"{i}:{hex_digits[i * _BAND_HEX : (i + 1) * _BAND_HEX]}" for i in range(BAND_COUNT)]


def _parse(fp: str) -> int:
    """Validate a stored fingerprint: exactly 16 hex digits."""
    if not _HEX_FINGERPRINT.fullmatch(fp):
        raise ValueError(f"fingerprint must be {_BITS // 4} hex digits, got {fp!r}")
    return int(fp, 16)
