"""Handlers of the message methods: send, edit, delete, files, chat actions, callback answers.

Each handler receives the decoded ``Params`` and returns the ``result`` of the API answer or
raises ``ApiError`` with Telegram's wording. Rate limits, faults and the call log are applied
around them by the server, so handlers only model what Telegram does with a valid request.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from .protocol import Params, bad_request
from .state import StandinState, StoredFile
from .validation import CAPTION_LIMIT, TEXT_LIMIT, parse_formatted, validate_reply_markup

__all__ = ["Handler", "message_handlers"]

Handler = Callable[[Params], Awaitable[Any]]

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _content(
    text: str | None,
    entities: list[dict[str, Any]],
    markup: dict[str, Any] | None,
    *,
    caption: bool = False,
) -> dict[str, Any]:
    """Message fields for text/caption, entities and an inline keyboard (only those echo)."""
    content: dict[str, Any] = {}
    if text is not None:
        content["caption" if caption else "text"] = text
    if entities:
        content["caption_entities" if caption else "entities"] = entities
    if markup is not None and "inline_keyboard" in markup:
        content["reply_markup"] = markup
    return content


def _document_object(stored: StoredFile) -> dict[str, Any]:
    """The Document object of a sent file (name and type only when known, as on Telegram)."""
    doc: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size if stored.size is not None else len(stored.data),
    }
    if stored.file_name:
        doc["file_name"] = stored.file_name
    if stored.mime_type:
        doc["mime_type"] = stored.mime_type
    return doc


def _photo_sizes(stored: StoredFile) -> list[dict[str, Any]]:
    """PhotoSize list of a sent photo; images are not decoded, so one fixed size is reported."""
    size = stored.size if stored.size is not None else len(stored.data)
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": size,
            "width": 800,
            "height": 600,
        }
    ]


class MessageMethods:
    """The message-related methods, bound to one stand-in's state."""

    def __init__(self, state: StandinState) -> None:
        """Keep the shared state."""
        self._state = state

    def _reply_to(self, params: Params, chat_id: int) -> dict[str, Any]:
        """Attach the replied-to message when the bot replies to a known one."""
        reply = params.get_json("reply_parameters")
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        if message_id is None:
            message_id = params.get_int("reply_to_message_id")
        stored = self._state.messages.get((chat_id, message_id)) if message_id else None
        return {"reply_to_message": dict(stored)} if stored else {}

    async def send_message(self, params: Params) -> Any:
        """sendMessage: validate text, markup and store the new message."""
        chat_id = params.chat_id()
        text, entities = parse_formatted(params, "text", limit=TEXT_LIMIT, required=True)
        markup = validate_reply_markup(params)
        content = _content(text, entities, markup) | self._reply_to(params, chat_id)
        return self._state.new_bot_message(chat_id, content)

    async def edit_message_text(self, params: Params) -> Any:
        """editMessageText: refuses unknown messages and edits that change nothing."""
        if params.has("inline_message_id"):
            parse_formatted(params, "text", limit=TEXT_LIMIT, required=True)
            return True
        chat_id = params.chat_id()
        message_id = params.get_int("message_id", required=True)
        stored = self._state.messages.get((chat_id, message_id or 0))
        if stored is None:
            raise bad_request("message to edit not found")
        if stored.get("from", {}).get("id") != self._state.bot_user["id"]:
            raise bad_request("message can't be edited")
        text, entities = parse_formatted(params, "text", limit=TEXT_LIMIT, required=True)
        new = _content(text, entities, validate_reply_markup(params))
        old = {key: stored[key] for key in ("text", "entities", "reply_markup") if key in stored}
        if new == old:
            raise bad_request(_NOT_MODIFIED)
        for key in ("text", "entities", "reply_markup"):
            stored.pop(key, None)
        stored.update(new, edit_date=max(int(time.time()), stored["date"]))
        return dict(stored)

    async def delete_message(self, params: Params) -> Any:
        """deleteMessage: only existing messages can be deleted."""
        chat_id = params.chat_id()
        message_id = params.get_int("message_id", required=True)
        if self._state.messages.pop((chat_id, message_id or 0), None) is None:
            raise bad_request("message to delete not found")
        return True

    def _input_file(self, params: Params, name: str, kind: str) -> StoredFile:
        """Resolve a file parameter: an upload, an ``attach://`` part, a file_id or a URL."""
        upload = params.files.get(name)
        value = params.get_str(name)
        if upload is None and value and value.startswith("attach://"):
            upload = params.files.get(value.removeprefix("attach://"))
        if upload is not None:
            if not upload.data:
                raise bad_request("file must be non-empty")
            return self._state.add_file(
                upload.data, kind=kind, file_name=upload.filename, mime_type=upload.content_type
            )
        if value is None:
            raise bad_request(f"there is no {name} in the request")
        if value in self._state.files:
            return self._state.files[value]
        if value.startswith(("http://", "https://")):
            file_name = value.rsplit("/", 1)[-1] or None
            return self._state.add_file(b"", kind=kind, file_name=file_name, mime_type=None)
        raise bad_request("wrong file identifier/HTTP URL specified")

    async def _send_media(
        self, params: Params, field_name: str, media: Callable[[StoredFile], Any]
    ) -> Any:
        """Shared part of sendDocument and sendPhoto: caption, markup, file, store."""
        chat_id = params.chat_id()
        caption, entities = parse_formatted(params, "caption", limit=CAPTION_LIMIT, required=False)
        markup = validate_reply_markup(params)
        stored = self._input_file(params, field_name, field_name)
        content = _content(caption, entities, markup, caption=True) | self._reply_to(
            params, chat_id
        )
        content[field_name] = media(stored)
        return self._state.new_bot_message(chat_id, content)

    async def send_document(self, params: Params) -> Any:
        """sendDocument with an upload or an existing file_id."""
        return await self._send_media(params, "document", _document_object)

    async def send_photo(self, params: Params) -> Any:
        """sendPhoto with an upload or an existing file_id."""
        return await self._send_media(params, "photo", _photo_sizes)

    async def send_chat_action(self, params: Params) -> Any:
        """sendChatAction: only Telegram's action names are valid."""
        params.chat_id()
        if params.get_str("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def answer_callback_query(self, params: Params) -> Any:
        """answerCallbackQuery: each delivered query can be answered once."""
        query_id = params.get_str("callback_query_id", required=True)
        if query_id not in self._state.open_callback_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get_str("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._state.open_callback_queries.discard(query_id)
        return True


def message_handlers(state: StandinState) -> dict[str, Handler]:
    """Method name → handler for the message methods."""
    methods = MessageMethods(state)
    return {
        "sendMessage": methods.send_message,
        "editMessageText": methods.edit_message_text,
        "deleteMessage": methods.delete_message,
        "sendDocument": methods.send_document,
        "sendPhoto": methods.send_photo,
        "sendChatAction": methods.send_chat_action,
        "answerCallbackQuery": methods.answer_callback_query,
    }
