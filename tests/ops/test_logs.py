"""JSON log lines: parseable one by one, with no token, e-mail or phone number in them."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import logs
from tests.ops.conftest import free_port

BOT_TOKEN = "7312345678:AAHk3xQ9_vZ-abcdefghijklmnopqrstuvw"
ZALO_TOKEN = "zT0k3n-abc.DEF_123456789"


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the production handler into a string."""
    out = io.StringIO()
    logger = logging.getLogger("tests.ops.logs")
    logger.handlers, logger.propagate = [logs.handler("json", out)], False
    logger.setLevel(logging.DEBUG)
    yield logger, out
    logger.handlers, logger.propagate = [], True


def _lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_record_is_one_json_object_with_time_level_logger_message_and_extras(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    logger.info("outbox %d on %s sent", 42, "telegram", extra={"channel": "telegram", "n": 3})
    logger.warning("Zalo OA: trả lời chậm")
    first, second = _lines(out)
    assert first["msg"] == "outbox 42 on telegram sent" and first["level"] == "INFO"
    assert first["logger"] == "tests.ops.logs" and first["ts"].endswith("+00:00")
    assert first["channel"] == "telegram" and first["n"] == 3, "extra fields are kept, typed"
    assert second["msg"] == "Zalo OA: trả lời chậm", "Vietnamese stays readable"


def test_tokens_secrets_emails_and_phone_numbers_never_reach_the_log(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    logger.error("POST https://api.telegram.org/bot%s/sendMessage failed", BOT_TOKEN)
    logger.error("POST http://127.0.0.1:8081/bot123:TEST/getUpdates failed")
    logger.warning("refresh failed: access_token=%s&refresh_token=%s", ZALO_TOKEN, ZALO_TOKEN)
    logger.warning('Zalo answered {"access_token": "%s", "expires_in": "90000"}', ZALO_TOKEN)
    logger.info("header Authorization: Bearer %s", ZALO_TOKEN)
    logger.info("citizen wrote from lan.nguyen@example.vn, phone 0912 345 678")
    logger.info("connect postgresql+asyncpg://app:hunter2@db:5432/consultbot")
    logger.info("done", extra={"recipient_email": "an@example.vn"})
    written = out.getvalue()
    for secret in (BOT_TOKEN, "123:TEST", ZALO_TOKEN, "lan.nguyen@example.vn", "0912 345 678",
                   "hunter2", "an@example.vn"):
        assert secret not in written, f"{secret!r} leaked into the log"
    lines = _lines(out)
    assert len(lines) == 8
    assert lines[0]["msg"] == "POST https://api.telegram.org/bot[redacted]/sendMessage failed"
    assert "[email]" in lines[5]["msg"] and "[số điện thoại]" in lines[5]["msg"]
    assert lines[6]["msg"].endswith("://app:[redacted]@db:5432/consultbot")


def test_an_exception_is_one_line_with_its_traceback_redacted(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = capture
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{BOT_TOKEN}/getMe")
    except ConnectionError:
        logger.exception("Telegram start failed")
    (line,) = _lines(out)
    assert line["level"] == "ERROR" and line["msg"] == "Telegram start failed"
    assert "Traceback" in line["exc"] and "ConnectionError" in line["exc"]
    assert BOT_TOKEN not in out.getvalue()


def test_text_format_is_redacted_too() -> None:
    out = io.StringIO()
    record = logging.makeLogRecord({"msg": "token %s", "args": (BOT_TOKEN,), "levelname": "INFO",
                                    "name": "x"})
    logs.handler("text", out).handle(record)
    assert BOT_TOKEN not in out.getvalue() and "INFO x: token [redacted]" in out.getvalue()


def test_an_unknown_log_format_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="json, text"):
        logs.handler("yaml")


def test_the_running_service_writes_only_json_lines(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "HTTP_HOST": "127.0.0.1", "HTTP_PORT": str(port), "LOG_LEVEL": "INFO",
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/consultbot.db"}
    env.pop("LOG_FORMAT", None)
    server = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path,
                              stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(150):  # bounded: up to 30 s for migrations and start
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as ok:
                    if ok.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines()]
    assert any("consultbot is running on" in line["msg"] for line in lines), stderr[-500:]
    assert all({"ts", "level", "logger", "msg"} <= line.keys() for line in lines)
