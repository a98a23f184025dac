"""Reading console forms with limits, urlencoded or multipart, once per request.

Multipart bodies (file uploads, long pasted drafts) are streamed with our own
limits rather than the web app's client_max_size, so a 5 MB .docx is accepted
and a larger one gets a clear message instead of a bare 413. The parsed form is
kept on the request: the CSRF check and the handler read it once between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import BodyPartReader, web
from multidict import MultiDict

from bot.admin.errors import ConsoleError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_TEXT_BYTES = 4 * 1024 * 1024  # all text fields of one form together
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + MAX_TEXT_BYTES + 64 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Upload:
    """A file field; `too_large` when it was over the limit (its bytes are then dropped)."""

    filename: str
    content_type: str
    data: bytes
    too_large: bool = False


@dataclass
class Form:
    fields: MultiDict[str] = field(default_factory=MultiDict)
    files: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    def upload(self, name: str) -> Upload | None:
        """The uploaded file, or None when the field was left empty."""
        found = self.files.get(name)
        return found if found is not None and (found.data or found.too_large) else None


FORM = web.RequestKey("consultbot.admin.form", Form)


async def read_form(request: web.Request) -> Form:
    """The request's form fields and files (parsed on first call, then cached)."""
    if FORM in request:
        return request[FORM]
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ConsoleError(413, "admin.error.too_large", max_mb=MAX_UPLOAD_BYTES // 2**20)
    if request.content_type == "multipart/form-data":
        form = await _multipart(request)
    elif request.content_type == "application/x-www-form-urlencoded":
        try:
            form = Form(MultiDict((k, v) for k, v in (await request.post()).items()
                                  if isinstance(v, str)))
        except web.HTTPRequestEntityTooLarge as error:
            raise ConsoleError(413, "admin.error.too_large",
                               max_mb=MAX_UPLOAD_BYTES // 2**20) from error
    else:
        form = Form()
    request[FORM] = form
    return form


async def _multipart(request: web.Request) -> Form:
    form = Form()
    text_bytes = 0
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader) or not part.name:
            continue
        if part.filename is not None:
            form.files[part.name] = await _file(part)
            continue
        data = await _read_limited(part, MAX_TEXT_BYTES - text_bytes)
        if data is None:
            raise ConsoleError(413, "admin.error.too_large", max_mb=MAX_UPLOAD_BYTES // 2**20)
        text_bytes += len(data)
        form.fields.add(part.name, data.decode(part.get_charset("utf-8"), errors="replace"))
    return form


async def _file(part: BodyPartReader) -> Upload:
    data = await _read_limited(part, MAX_UPLOAD_BYTES)
    content_type = part.headers.get("Content-Type", "application/octet-stream")
    if data is None:
        return Upload(part.filename or "", content_type, b"", too_large=True)
    return Upload(part.filename or "", content_type, data)


async def _read_limited(part: BodyPartReader, limit: int) -> bytes | None:
    """The part's bytes, or None when over `limit` (the rest is read and dropped)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await part.read_chunk(CHUNK):
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
    return b"".join(chunks) if size <= limit else None
