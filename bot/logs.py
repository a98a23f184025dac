"""Logging set-up: one JSON object per line for a log collector, or text for a person.

Whatever the format, every record passes `Redact` first: a token that slipped
into an exception message (a Bot API URL carries the bot token), a bearer
header, an e-mail address or a phone number is replaced before it is written.
Logs are for operating the service and are kept longer and wider than the
database, so they must hold no secrets and no personal data.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import IO, Any

from consultations.text.pii import redact_pii

FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"
_SECRETS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Telegram bot tokens, bare or inside a Bot API URL (/bot<token>/getUpdates).
    (re.compile(r"\b\d+:[A-Za-z0-9_-]{30,}"), REDACTED),
    (re.compile(r"(?<=/bot)[^/\s]+(?=/)"), REDACTED),
    # access_token=..., "refresh_token": "...", secret: ... (query strings, JSON, headers).
    (re.compile(
        r"(?i)(\"?\b(?:access_token|refresh_token|token|secret|secret_key|password|"
        r"client_secret|code_verifier)\"?\s*[=:]\s*\"?)[^\s\"&,;}]+"),
     rf"\1{REDACTED}"),
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+"), rf"\1{REDACTED}"),
    # Passwords in database URLs: postgresql://user:secret@host
    (re.compile(r"(://[^/\s:@]+:)[^/\s@]+(@)"), rf"\1{REDACTED}\2"),
)
# What a LogRecord carries by itself; anything else came in through `extra=`.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def redact(text: str) -> str:
    """Secrets first (a token can contain digit runs the PII patterns would split)."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return redact_pii(text)


class Redact(logging.Filter):
    """Rewrites a record's message, extras and exception text with `redact` before output."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        for key, value in extras(record).items():
            if isinstance(value, str):
                setattr(record, key, redact(value))
        return True


def extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "msg", "exc"?, ...extra}` on one line, ts in UTC ISO-8601."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in extras(record).items():
            entry.setdefault(key, value if _plain(value) else str(value))
        return json.dumps(entry, ensure_ascii=False, default=str)


def _plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def handler(fmt: str, stream: IO[str] | None = None) -> logging.Handler:
    """A stream handler with the redaction filter and the chosen format."""
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    made = logging.StreamHandler(stream or sys.stderr)
    made.addFilter(Redact())
    made.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    return made


def configure(level: str, fmt: str, stream: IO[str] | None = None) -> None:
    """Replace the root handlers: every library's records go through the same door."""
    logging.basicConfig(level=level.upper(), handlers=[handler(fmt, stream)], force=True)
