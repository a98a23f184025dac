"""Server-side form checks with messages in the reader's language, one per field.

Every console form goes through a Validator: the browser's own checks are a
convenience, never the defence. Messages are collected per field so the form
is shown again with each problem next to its input.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.admin.forms import Form
from bot.admin.render import error_text, text
from bot.admin.state import console_of
from consultations.errors import DomainError

FORM_LEVEL = "form"
_CONTROL = {chr(c) for c in range(32)} - {"\n", "\r", "\t"}


class Validator:
    def __init__(self, request: web.Request, form: Form) -> None:
        self.request = request
        self.form = form
        self.errors: dict[str, str] = {}

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, name: str, key: str, **params: Any) -> None:
        self.errors.setdefault(name, text(self.request, key, **params))

    def text(self, name: str, *, max_len: int, required: bool = False,
             multiline: bool = False) -> str:
        raw = self.form.get(name)
        value = raw.replace("\r\n", "\n") if multiline else " ".join(raw.split())
        if any(ch in _CONTROL for ch in value):
            self.fail(name, "admin.form.bad_characters")
        elif required and not value.strip():
            self.fail(name, "admin.form.required")
        elif len(value) > max_len:
            self.fail(name, "admin.form.too_long", max=max_len, length=len(value))
        return value

    def choice(self, name: str, options: Collection[str]) -> str:
        value = self.form.get(name)
        if value not in options:
            self.fail(name, "admin.form.choose")
        return value

    def when(self, name: str, *, required: bool = False) -> datetime | None:
        """A "YYYY-MM-DDTHH:MM" local time (an <input type=datetime-local>) as aware UTC."""
        raw = self.form.get(name).strip()
        if not raw:
            if required:
                self.fail(name, "admin.form.required")
            return None
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is not None or not 2000 <= parsed.year <= 2100:
            self.fail(name, "admin.form.bad_datetime")
            return None
        return parsed.replace(tzinfo=console_of(self.request).ctx.settings.tz)

    def domain(self, error: DomainError, fields: Mapping[str, str]) -> None:
        """A refusal from the domain, shown beside the field it is about."""
        self.errors.setdefault(fields.get(error.key, FORM_LEVEL), error_text(self.request, error))
