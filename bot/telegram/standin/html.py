"""A strict parser for Telegram's ``parse_mode=HTML`` subset.

Telegram rejects markup a browser would forgive (``<br>``, unclosed ``<b>``, a stray ``<``), and
a bot that only ever met a lenient fake finds out in production. This parser accepts the tags
Telegram documents, reports errors in Telegram's words and returns the plain text plus the
entities (offsets in UTF-16 code units) that the real API would put into the sent Message.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HtmlError", "parse_html"]

_SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_OTHER_TAGS = frozenset({"a", "span", "tg-emoji"})
_ATTR = re.compile(r"""([A-Za-z][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HtmlError(ValueError):
    """Markup Telegram would refuse with "can't parse entities"."""


@dataclass(slots=True)
class _Open:
    """A start tag waiting for its end tag."""

    name: str
    offset: int
    entity: dict[str, Any] | None


@dataclass(slots=True)
class _Parser:
    """State of one parse: output text, UTF-16 position, open tags, finished entities."""

    source: str
    out: list[str] = field(default_factory=list)
    utf16: int = 0
    stack: list[_Open] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    def byte_offset(self, index: int) -> int:
        """Telegram reports positions as UTF-8 byte offsets into the source."""
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        """Append plain text and advance the UTF-16 offset used by entities."""
        self.out.append(text)
        self.utf16 += len(text.encode("utf-16-le")) // 2

    def entity_at(self, index: int) -> int:
        """Decode one ``&...;`` reference; unknown names stay literal text."""
        match = _ENTITY.match(self.source, index)
        if match is None:
            self.emit("&")
            return index + 1
        name = match.group(1)
        if name.startswith("#"):
            self.emit(html.unescape(match.group(0)))
        elif name in _NAMED:
            self.emit(_NAMED[name])
        else:
            self.emit(match.group(0))
        return match.end()

    def tag_at(self, index: int) -> int:
        """Handle the tag starting at ``index`` and return the index after it."""
        end = self.source.find(">", index)
        if end < 0:
            raise HtmlError(f"Unclosed start tag at byte offset {self.byte_offset(index)}")
        inner = self.source[index + 1 : end].strip()
        if inner.startswith("/"):
            self.close(inner[1:].strip().lower(), index)
        else:
            self.open(inner, index)
        return end + 1

    def open(self, inner: str, index: int) -> None:
        """Push a start tag, building the entity it will produce."""
        name = inner.split(maxsplit=1)[0].lower() if inner else ""
        entity = _entity_for(name, _attributes(inner[len(name) :]), self.stack)
        if entity is None and name not in ("a", "code"):
            raise HtmlError(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(index)}'
            )
        self.stack.append(_Open(name, self.utf16, entity))

    def close(self, name: str, index: int) -> None:
        """Pop the matching start tag and finish its entity."""
        if not self.stack:
            raise HtmlError(f"Unexpected end tag at byte offset {self.byte_offset(index)}")
        top = self.stack.pop()
        if top.name != name:
            raise HtmlError(
                f"Unmatched end tag at byte offset {self.byte_offset(index)}, "
                f'expected "</{top.name}>", found "</{name}>"'
            )
        length = self.utf16 - top.offset
        if top.entity is not None and length > 0:
            self.entities.append({"offset": top.offset, "length": length, **top.entity})


def _attributes(text: str) -> dict[str, str]:
    """Attributes of a start tag; valueless ones (``expandable``) map to an empty string."""
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        value = next((group for group in match.groups()[1:] if group is not None), "")
        attrs[match.group(1).lower()] = value
    return attrs


def _entity_for(name: str, attrs: dict[str, str], stack: list[_Open]) -> dict[str, Any] | None:
    """The entity fields a start tag produces; None for a tag without entity or unknown."""
    if name in _SIMPLE_TAGS:
        kind = _SIMPLE_TAGS[name]
        if name == "blockquote" and "expandable" in attrs:
            kind = "expandable_blockquote"
        if name == "code" and stack and stack[-1].name == "pre":
            language = attrs.get("class", "")
            if language.startswith("language-") and stack[-1].entity is not None:
                stack[-1].entity["language"] = language.removeprefix("language-")
                return None
        return {"type": kind}
    if name == "span" and attrs.get("class") == "tg-spoiler":
        return {"type": "spoiler"}
    if name == "tg-emoji" and attrs.get("emoji-id"):
        return {"type": "custom_emoji", "custom_emoji_id": attrs["emoji-id"]}
    if name == "a" and attrs.get("href"):
        href = attrs["href"]
        mention = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if mention:
            return {"type": "text_mention", "user": {"id": int(mention.group(1))}}
        return {"type": "text_link", "url": href}
    return None


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) for HTML-formatted text, or raise ``HtmlError``."""
    parser = _Parser(source)
    index = 0
    plain_start = 0
    while index < len(source):
        char = source[index]
        if char not in "<&":
            index += 1
            continue
        if plain_start < index:
            parser.emit(source[plain_start:index])
        index = parser.tag_at(index) if char == "<" else parser.entity_at(index)
        plain_start = index
    if plain_start < len(source):
        parser.emit(source[plain_start:])
    if parser.stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1].name}"')
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.out), entities
