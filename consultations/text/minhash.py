"""Index keys that find near-duplicate comments among millions without comparing them all.

SimHash (fingerprint.py) says how alike two texts are, but copies of one petition
with a new greeting or a few words changed differ in 10-16 of its 64 bits, too many
for its bands to share a key. MinHash over the same word 3-shingles estimates their
Jaccard similarity instead, and its bands (LSH) make copies with a similarity of
about 0.6 or more share at least one key with high probability (0.86 at 0.6, 0.99 at
0.8), while unrelated comments almost never do. Candidates found by key are then
checked with the SimHash similarity.
"""

from __future__ import annotations

import functools
import hashlib

from consultations.text.fold import words
from consultations.text.pii import redact_pii

BANDS = 8
ROWS = 3
_SHINGLE = 3
_PRIME = (1 << 61) - 1
_MASK = (1 << 64) - 1


def _coefficients(count: int) -> list[tuple[int, int]]:
    """Fixed hash-function parameters, derived with hashlib so every process agrees."""
    result = []
    for index in range(count):
        digest = hashlib.blake2b(f"minhash-{index}".encode(), digest_size=16).digest()
        a = int.from_bytes(digest[:8]) % (_PRIME - 1) + 1
        b = int.from_bytes(digest[8:]) % _PRIME
        result.append((a, b))
    return result


_HASHES = _coefficients(BANDS * ROWS)


def _shingles(text: str) -> set[int]:
    tokens = words(redact_pii(text))
    size = _SHINGLE if len(tokens) >= _SHINGLE else 1
    return {
        int.from_bytes(
            hashlib.blake2b(" ".join(tokens[i : i + size]).encode(), digest_size=8).digest()
        )
        for i in range(len(tokens) - size + 1)
    }


def signature(text: str) -> list[int]:
    """The MinHash signature: for each hash function, the least hash over the shingles."""
    shingles = _shingles(text) or {0}
    return [min((a * s + b) % _PRIME for s in shingles) for a, b in _HASHES]


@functools.lru_cache(maxsize=256)
def _bands(text: str) -> tuple[str, ...]:
    sig = signature(text)
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(repr(rows).encode(), digest_size=4).hexdigest()
        keys.append(f"{band}:{digest}")
    return tuple(keys)


def lsh_bands(text: str) -> list[str]:
    """BANDS keys like '3:9f2c1a0b'; near-duplicates share at least one with high odds.

    Remembered for the last few texts, since a comment's keys are computed when its
    near-duplicates are looked up and again when it is stored.
    """
    return list(_bands(text))
