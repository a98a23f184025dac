"""Button actions: short ASCII strings, parsed strictly because any client can forge one."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_ACTION_BYTES = 64

# name -> pattern of its arguments; only these are accepted.
_GRAMMAR: dict[str, re.Pattern[str]] = {
    "start": re.compile(r""),
    "menu": re.compile(r""),
    "consent": re.compile(r"(yes|no)"),
    "rounds": re.compile(r""),
    "r": re.compile(r"(\d{1,9})"),
    "rd": re.compile(r"(\d{1,9}):(\d{1,4}):(\d{1,3})"),
    "c": re.compile(r"(\d{1,9})(?::(\d{1,9}))?"),
    "comment": re.compile(r""),
    "st": re.compile(r"(support|oppose|suggest|other)"),
    "send": re.compile(r""),
    "edit": re.compile(r""),
    "cancel": re.compile(r""),
    "kind": re.compile(r"(citizen|business)"),
    "cs": re.compile(r"(\d{1,9})"),
    "own": re.compile(r""),
    "ask": re.compile(r""),
    "q": re.compile(r"(\d{1,9})"),
    "mine": re.compile(r""),
    "follow": re.compile(r""),
    "f": re.compile(r"(all|agency|round):(\d{1,9})"),
    "uf": re.compile(r"(all|agency|round):(\d{1,9})"),
    "lang": re.compile(r"(?:(vi|en))?"),
    "privacy": re.compile(r""),
    "export": re.compile(r""),
    "forget": re.compile(r"(ask|yes)"),
    "help": re.compile(r""),
    "rate": re.compile(r"(question|round):(\d{1,9}):([1-5])"),
}


@dataclass(frozen=True)
class Action:
    """A parsed action: its name and its arguments as strings (None for optional ones)."""

    name: str
    args: tuple[str | None, ...] = ()

    def int_arg(self, index: int) -> int:
        value = self.args[index]
        if value is None:
            raise ValueError("missing argument")
        return int(value)


def parse(raw: str) -> Action | None:
    """The action, or None when it is malformed, too long or unknown."""
    if not raw or len(raw.encode()) > MAX_ACTION_BYTES or not raw.isascii():
        return None
    name, _, rest = raw.partition(":")
    pattern = _GRAMMAR.get(name)
    if pattern is None:
        return None
    match = pattern.fullmatch(rest)
    if match is None:
        return None
    return Action(name, match.groups())


def make(name: str, *args: object) -> str:
    """Build an action string; checked against the grammar so we never issue a bad one."""
    raw = ":".join([name, *(str(a) for a in args)]) if args else name
    if parse(raw) is None:
        raise ValueError(f"invalid action {raw!r}")
    return raw
