"""One family of domain errors; each carries a message key the user may see."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain said no; `key` names the polite text each channel shows."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotFound(DomainError):
    """What was asked for does not exist (or is not visible to the asker)."""


class InvalidState(DomainError):
    """The thing exists but is not in a state that allows this (e.g. a closed round)."""


class InvalidInput(DomainError):
    """The values given break a rule (too long, empty, out of range)."""
