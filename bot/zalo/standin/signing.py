"""How the stand-in signs the webhook calls it makes, as Zalo documents it.

``X-ZEvent-Signature: mac=<hex sha256(app id + raw body + body timestamp + OA secret key)>``.
Written independently of bot/zalo/signature.py on purpose: a mistake there must make the
tests fail, not be copied here. The variants seen in public sample code can be produced
too (``app-secret``, ``header-timestamp``, ``oa-id``, joined with "+").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Signer:
    """The OA's identifiers and secrets, and the variant to sign with."""

    app_id: str
    oa_id: str
    oa_secret_key: str
    app_secret: str
    variant: str = "documented"

    def headers(self, raw: bytes, body_timestamp: str, header_timestamp: str) -> dict[str, str]:
        """The headers of a signed call (the timestamp header is sent in every variant)."""
        parts = set(self.variant.split("+")) if self.variant != "documented" else set()
        identity = self.oa_id if "oa-id" in parts else self.app_id
        stamp = header_timestamp if "header-timestamp" in parts else body_timestamp
        secret = self.app_secret if "app-secret" in parts else self.oa_secret_key
        mac = hashlib.sha256(identity.encode() + raw + stamp.encode() + secret.encode())
        return {
            "X-ZEvent-Signature": f"mac={mac.hexdigest()}",
            "X-ZEvent-Timestamp": header_timestamp,
            "Content-Type": "application/json",
        }


def encode(event: dict[str, Any]) -> bytes:
    """The body as Zalo sends it: compact JSON, UTF-8, non-ASCII kept as is."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
