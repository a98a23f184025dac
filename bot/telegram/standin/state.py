"""What the stand-in remembers: the call log, sent messages, chats, files and commands.

Tests assert on ``calls`` (every request, including refused ones) and ``sent`` (every message the
bot managed to send or edit, including the ones whose answer was held back by a time-out fault:
that is exactly the duplicate-or-lost ambiguity a bot must handle).
"""

from __future__ import annotations

import itertools
import mimetypes
import time
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["CallRecord", "SentMessage", "StandinState", "StoredFile", "chat_type"]


def chat_type(chat_id: int) -> str:
    """Telegram's id convention: users are positive, supergroups ``-100...``, groups negative."""
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


@dataclass(slots=True)
class CallRecord:
    """One request received on ``/bot<token>/<method>``."""

    method: str
    params: dict[str, Any]
    chat_id: int | None
    time: float
    status: int = 200
    message_id: int | None = None
    description: str | None = None
    fault: str | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON form for ``GET /_standin/calls``."""
        return asdict(self)


@dataclass(slots=True)
class SentMessage:
    """A message the bot sent or edited, as the stand-in stored it."""

    method: str
    chat_id: int
    message_id: int
    text: str | None
    params: dict[str, Any]
    time: float
    message: dict[str, Any]
    answer_held: bool = False

    def to_json(self) -> dict[str, Any]:
        """JSON form for ``GET /_standin/calls``."""
        return asdict(self)


@dataclass(slots=True)
class StoredFile:
    """A file known by file_id: uploaded by the bot or referenced by an injected update."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None

    def to_file(self) -> dict[str, Any]:
        """The ``File`` object getFile returns."""
        size = self.size if self.size is not None else len(self.data)
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": size,
            "file_path": self.file_path,
        }


@dataclass(slots=True)
class StandinState:
    """Mutable world of the stand-in; methods keep message ids and chats consistent."""

    bot_user: dict[str, Any]
    calls: list[CallRecord] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    open_callback_queries: set[str] = field(default_factory=set)
    _last_message_id: dict[int, int] = field(default_factory=dict)
    _file_numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def clear_records(self) -> None:
        """Drop the call log and the sent messages (``POST /_standin/reset``)."""
        self.calls.clear()
        self.sent.clear()

    def chat_object(self, chat_id: int) -> dict[str, Any]:
        """The Chat object for a message: what updates told us, else ``{id, type}``."""
        return dict(self.chats.get(chat_id) or {"id": chat_id, "type": chat_type(chat_id)})

    def next_message_id(self, chat_id: int) -> int:
        """Message ids increase per chat and are shared by the user's and the bot's messages."""
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        return message_id

    def new_bot_message(self, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
        """Create and store a message sent by the bot."""
        message = {
            "message_id": self.next_message_id(chat_id),
            "from": dict(self.bot_user),
            "chat": self.chat_object(chat_id),
            "date": int(time.time()),
            **content,
        }
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def remember_message(self, message: dict[str, Any]) -> None:
        """Index a message from an injected update: chat, id counter, files."""
        chat = message.get("chat")
        if not isinstance(chat, dict) or not isinstance(chat.get("id"), int):
            return
        chat_id = chat["id"]
        self.chats.setdefault(chat_id, dict(chat))
        message_id = message.get("message_id")
        if isinstance(message_id, int):
            self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)
            self.messages[(chat_id, message_id)] = message
        for media in (message.get("document"), message.get("voice"), message.get("audio")):
            if isinstance(media, dict):
                self.remember_file_object(media)
        for size in message.get("photo") or []:
            if isinstance(size, dict):
                self.remember_file_object(size)

    def remember_file_object(self, media: dict[str, Any]) -> None:
        """Make a file referenced by an update retrievable via getFile."""
        file_id = media.get("file_id")
        if isinstance(file_id, str) and file_id not in self.files:
            self.files[file_id] = StoredFile(
                file_id=file_id,
                file_unique_id=str(media.get("file_unique_id", file_id)),
                file_path=f"files/file_{next(self._file_numbers)}",
                data=b"",
                mime_type=media.get("mime_type"),
                size=media.get("file_size"),
            )

    def add_file(
        self, data: bytes, *, kind: str, file_name: str | None, mime_type: str | None
    ) -> StoredFile:
        """Store an uploaded file under a new file_id, as Telegram does on upload."""
        number = next(self._file_numbers)
        extension = mimetypes.guess_extension(mime_type or "") or ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"standin-{kind}-{number:06d}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{kind}s/file_{number}{extension}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        """Look a file up for the download endpoint."""
        return next((f for f in self.files.values() if f.file_path == file_path), None)
