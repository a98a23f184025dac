"""Sending a generated file: written to a spooled temporary file first, then streamed.

The report and open-data writers write to a binary file as rows arrive; writing
to a temporary file (in memory up to a few MB, on disk beyond) means a refusal
found while writing is still an ordinary error page, never half a download.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from typing import IO

from aiohttp import web

SPOOL_BYTES = 8 * 1024 * 1024
CHUNK = 256 * 1024
Writer = Callable[[IO[bytes]], Awaitable[object]]
Written = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


async def send_file(
    request: web.Request, write: Writer, *, content_type: str, filename: str,
    headers: dict[str, str], disposition: str = "attachment", written: Written = _nothing,
) -> web.StreamResponse:
    """Run `write` into a temporary file, then `written` (e.g. audit it), then stream it."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
        await write(out)
        await written()
        size = out.tell()
        out.seek(0)
        response = web.StreamResponse(headers={
            **headers,
            "Content-Type": content_type,
            "Content-Length": str(size),
            "Content-Disposition": f'{disposition}; filename="{filename}"',
        })
        await response.prepare(request)
        while chunk := out.read(CHUNK):
            await response.write(chunk)
        await response.write_eof()
    return response
