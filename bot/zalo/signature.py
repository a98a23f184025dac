"""The X-ZEvent-Signature check of Zalo OA webhook calls.

Zalo documents the header as ``mac=`` followed by the hex SHA-256 (a plain hash, not an
HMAC) of four strings joined in this order: the app id, the raw request body, the event's
``timestamp`` field from that body, and the OA secret key (not the app secret). Public
sample code disagrees on three points, so each can be switched by
``ZALO_SIGNATURE_VARIANT``: "documented", or any of these joined with "+":

* ``app-secret``: the app secret key instead of the OA secret key;
* ``header-timestamp``: the ``X-ZEvent-Timestamp`` header instead of the body's field;
* ``oa-id``: the OA id instead of the app id.

The hash is over the exact bytes received (never re-serialised JSON) and compared in
constant time. Nothing secret is logged.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

SIGNATURE_HEADER = "X-ZEvent-Signature"
TIMESTAMP_HEADER = "X-ZEvent-Timestamp"
PREFIX = "mac="
OPTIONS = ("app-secret", "header-timestamp", "oa-id")


@dataclass(frozen=True)
class Keys:
    """What the signature may be made from; the scheme picks one id and one secret."""

    app_id: str
    oa_id: str
    oa_secret_key: str
    app_secret: str


@dataclass(frozen=True)
class Scheme:
    """Which id, timestamp and secret go into the hash."""

    app_secret: bool = False
    header_timestamp: bool = False
    oa_id: bool = False


def parse_variant(variant: str) -> Scheme:
    """The scheme for a ZALO_SIGNATURE_VARIANT value; ValueError names what is not known."""
    name = variant.strip().lower()
    if name in ("", "documented"):
        return Scheme()
    parts = {part.strip() for part in name.split("+")}
    unknown = parts - set(OPTIONS)
    if unknown:
        raise ValueError(
            f"unknown ZALO_SIGNATURE_VARIANT part(s) {sorted(unknown)}; "
            f"use 'documented' or {' + '.join(OPTIONS)}"
        )
    return Scheme("app-secret" in parts, "header-timestamp" in parts, "oa-id" in parts)


def expected_mac(
    scheme: Scheme, keys: Keys, raw_body: bytes, body_timestamp: str, header_timestamp: str
) -> str:
    """The hex digest Zalo sends after ``mac=`` for this body."""
    identity = keys.oa_id if scheme.oa_id else keys.app_id
    timestamp = header_timestamp if scheme.header_timestamp else body_timestamp
    secret = keys.app_secret if scheme.app_secret else keys.oa_secret_key
    digest = hashlib.sha256()
    for part in (identity.encode(), raw_body, timestamp.encode(), secret.encode()):
        digest.update(part)
    return digest.hexdigest()


def matches(header_value: str, expected: str) -> bool:
    """True when the header carries the expected mac (prefix optional, hex case ignored)."""
    given = header_value.strip()
    if given[: len(PREFIX)].lower() == PREFIX:
        given = given[len(PREFIX) :].strip()
    return hmac.compare_digest(given.lower().encode(), expected.lower().encode())
