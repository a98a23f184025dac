"""``AiohttpRequest`` against small real servers: encodings, time-outs, pool, error mapping."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import InvalidToken, NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.request import AiohttpRequest


def _data(**values: Any) -> RequestData:
    """RequestData as telegram.Bot builds it."""
    return RequestData([RequestParameter.from_input(key, value) for key, value in values.items()])


async def _echo(request: web.Request) -> web.StreamResponse:
    """Report how the request arrived."""
    fields: dict[str, Any] = {}
    if request.can_read_body:
        for name, value in (await request.post()).items():
            fields[name] = (
                {"filename": value.filename, "size": len(value.file.read())}
                if isinstance(value, web.FileField)
                else value
            )
    result = {
        "content_type": request.content_type,
        "user_agent": request.headers.get("User-Agent", ""),
        "fields": fields,
    }
    return web.json_response({"ok": True, "result": result})


async def _slow(request: web.Request) -> web.StreamResponse:
    """Answer after ``?delay=`` seconds."""
    await asyncio.sleep(float(request.query.get("delay", "1")))
    return web.json_response({"ok": True, "result": True})


async def _not_found(request: web.Request) -> web.StreamResponse:
    """Telegram's answer to an unknown method."""
    return web.json_response(
        {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
    )


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/echo", _echo)
    app.router.add_route("*", "/slow", _slow)
    app.router.add_post("/missing", _not_found)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_parameters_are_form_urlencoded(server: str) -> None:
    async with AiohttpRequest() as request:
        result = await request.post(f"{server}/echo", _data(chat_id=5, text="Xin chào", x=True))
    assert isinstance(result, dict)
    assert result["content_type"] == "application/x-www-form-urlencoded"
    assert result["fields"] == {"chat_id": "5", "text": "Xin chào", "x": "true"}
    assert result["user_agent"] == BaseRequest.USER_AGENT


async def test_files_are_multipart(server: str) -> None:
    upload = InputFile(b"noi dung", filename="gop-y.txt")
    async with AiohttpRequest() as request:
        result = await request.post(f"{server}/echo", _data(chat_id=5, document=upload))
    assert isinstance(result, dict)
    assert result["content_type"] == "multipart/form-data"
    assert result["fields"] == {"chat_id": "5", "document": {"filename": "gop-y.txt", "size": 8}}


async def test_http_errors_are_returned_for_ptb_to_map(server: str) -> None:
    async with AiohttpRequest() as request:
        status, body = await request.do_request(f"{server}/missing", "POST")
        assert status == 404 and b"Not Found" in body
        with pytest.raises(InvalidToken):
            await request.post(f"{server}/missing")


async def test_connection_refused_is_a_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError, match=r"aiohttp\.Client"):
            await request.do_request(f"http://127.0.0.1:{port}/x", "POST")


async def test_read_timeout_default_and_override(server: str) -> None:
    async with AiohttpRequest(read_timeout=0.1) as request:
        assert request.read_timeout == 0.1
        with pytest.raises(TimedOut):
            await request.do_request(f"{server}/slow?delay=0.5", "GET")
        status, _ = await request.do_request(f"{server}/slow?delay=0.2", "GET", read_timeout=1.0)
        assert status == 200
        with pytest.raises(TimedOut):
            await request.do_request(
                f"{server}/slow?delay=0.2", "GET", read_timeout=BaseRequest.DEFAULT_NONE
            )


async def test_pool_timeout_means_not_sent(server: str) -> None:
    async with AiohttpRequest(connection_pool_size=1, pool_timeout=0.05) as request:
        first = asyncio.create_task(request.do_request(f"{server}/slow?delay=0.3", "GET"))
        await asyncio.sleep(0.02)
        with pytest.raises(TimedOut, match="Pool timeout"):
            await request.do_request(f"{server}/slow?delay=0", "GET")
        assert (await first)[0] == 200
        status, _ = await request.do_request(f"{server}/slow?delay=0", "GET", pool_timeout=None)
        assert status == 200


async def test_lifecycle(server: str) -> None:
    request = AiohttpRequest()
    status, _ = await request.do_request(f"{server}/slow?delay=0", "GET")  # lazy session
    assert status == 200
    await request.shutdown()
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{server}/slow?delay=0", "GET")
    await request.initialize()
    assert (await request.do_request(f"{server}/slow?delay=0", "GET"))[0] == 200
    await request.shutdown()
    with pytest.raises(ValueError, match="connection_pool_size"):
        AiohttpRequest(connection_pool_size=0)
