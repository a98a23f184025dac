"""A console page that cannot be shown: its status and the message key explaining why."""

from __future__ import annotations

from typing import Any


class ConsoleError(Exception):
    """Raised anywhere in a console handler; the error middleware renders it as a page.

    `audit` names an audit action to record for it (a refused CSRF token, an
    attempt to reach another agency's data): the refusal itself is evidence.
    """

    def __init__(self, status: int, key: str, *, audit: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.audit = audit
        self.params = params
