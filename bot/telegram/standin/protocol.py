"""Bot API wire protocol: reading request parameters and shaping error answers.

The real Bot API accepts parameters as a query string, ``application/x-www-form-urlencoded``,
``application/json`` or ``multipart/form-data``; structured values (reply_markup, entities,
allowed_updates, ...) arrive either as native JSON or as JSON-encoded strings. ``Params`` hides
those differences so that method handlers validate one shape, the way Telegram does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

__all__ = ["ApiError", "Described", "Params", "Upload", "bad_request", "error_body", "read_params"]


class ApiError(Exception):
    """An answer with ``ok: false``; raised by handlers, turned into JSON by the server."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        """Keep the HTTP status, Telegram's description and the optional retry_after."""
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def bad_request(detail: str) -> ApiError:
    """Shorthand for the most common refusal, worded as Telegram words it."""
    return ApiError(400, f"Bad Request: {detail}")


def error_body(error: ApiError) -> dict[str, Any]:
    """Serialise an ApiError exactly like Telegram (``parameters`` only for flood waits)."""
    body: dict[str, Any] = {
        "ok": False,
        "error_code": error.code,
        "description": error.description,
    }
    if error.retry_after is not None:
        body["parameters"] = {"retry_after": error.retry_after}
    return body


@dataclass(frozen=True, slots=True)
class Described:
    """A result Telegram sends with a description, e.g. setWebhook's "Webhook was set"."""

    result: Any
    description: str


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes


class Params:
    """Request parameters with Telegram's lenient typing (strings that hold ints/bools/JSON)."""

    __slots__ = ("files", "values")

    def __init__(self, values: dict[str, Any], files: dict[str, Upload] | None = None) -> None:
        """Wrap already-decoded values and the uploaded files keyed by part name."""
        self.values = values
        self.files = files or {}

    def as_record(self) -> dict[str, Any]:
        """Parameters for the call log; uploads are summarised instead of copied."""
        record = dict(self.values)
        for name, upload in self.files.items():
            record[name] = {"filename": upload.filename, "size": len(upload.data)}
        return record

    def has(self, name: str) -> bool:
        """Telegram treats empty strings like missing parameters."""
        return self.values.get(name) not in (None, "")

    def get_str(self, name: str, *, required: bool = False) -> str | None:
        """A string parameter; numbers sent as JSON are accepted, as Telegram does."""
        if not self.has(name):
            if required:
                raise bad_request(f"{name} is empty")
            return None
        value = self.values[name]
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, name: str, *, required: bool = False) -> int | None:
        """An integer parameter given as a number or a decimal string."""
        if not self.has(name):
            if required:
                raise bad_request(f"{name} is empty")
            return None
        value = self.values[name]
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def get_float(self, name: str, default: float) -> float:
        """A number parameter (getUpdates' timeout); fractions help fast tests."""
        if not self.has(name):
            return default
        try:
            return float(self.values[name])
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def get_bool(self, name: str) -> bool:
        """A boolean given as JSON true/false, "true"/"false" or 1/0."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def get_json(self, name: str) -> Any:
        """A structured parameter, native or JSON-encoded; None when absent."""
        if not self.has(name):
            return None
        value = self.values[name]
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_id(self) -> int:
        """The target chat; "@username" chats are unknown to the stand-in."""
        if not self.has("chat_id"):
            raise bad_request("chat_id is empty")
        value = self.values["chat_id"]
        if isinstance(value, str) and value.startswith("@"):
            raise bad_request("chat not found")
        chat_id = self.get_int("chat_id")
        if not chat_id:
            raise bad_request("chat not found")
        return chat_id

    def chat_id_hint(self) -> int | None:
        """Best-effort chat id for logging, limits and faults; never raises."""
        try:
            return self.get_int("chat_id")
        except ApiError:
            return None


def _form_values(form: MultiDictProxy[Any]) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Split a decoded form into plain values and file uploads."""
    values: dict[str, Any] = {}
    files: dict[str, Upload] = {}
    for name, value in form.items():
        if isinstance(value, web.FileField):
            files[name] = Upload(
                field=name,
                filename=value.filename or name,
                content_type=value.content_type or "application/octet-stream",
                data=value.file.read(),
            )
        else:
            values[name] = value
    return values, files


async def read_params(request: web.Request) -> Params:
    """Decode query string plus body in any encoding the real Bot API accepts."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(body, dict):
                raise bad_request("JSON object expected")
            values.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form_values, files = _form_values(await request.post())
            values.update(form_values)
    return Params(values, files)
