"""Vietnamese text tools: normalisation, folding, PII redaction, abuse filter, fingerprints.

Pure standard library, no I/O: safe to call from any layer that handles citizen text.
"""

from consultations.text.abuse import AbuseFilter, abusive_terms, is_abusive
from consultations.text.fingerprint import (
    NEAR_DUPLICATE_THRESHOLD,
    bands,
    fingerprint,
    hamming_distance,
    is_near_duplicate,
    similarity,
)
from consultations.text.fold import fold, words
from consultations.text.normalize import normalize_line, normalize_text
from consultations.text.pii import find_pii, redact_pii

__all__ = [
    "NEAR_DUPLICATE_THRESHOLD",
    "AbuseFilter",
    "abusive_terms",
    "bands",
    "find_pii",
    "fingerprint",
    "fold",
    "hamming_distance",
    "is_abusive",
    "is_near_duplicate",
    "normalize_line",
    "normalize_text",
    "redact_pii",
    "similarity",
    "words",
]
