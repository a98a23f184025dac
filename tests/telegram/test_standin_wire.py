"""Wire-level behaviour of the Bot API stand-in: URL shape, encodings, answers, errors."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from bot.telegram.standin import BotApiStandin, make_text_update
from tests.telegram.tg_helpers import TOKEN


async def _call(
    http: aiohttp.ClientSession, standin: BotApiStandin, method: str, **kwargs: Any
) -> tuple[int, dict[str, Any]]:
    """POST a method call and return (status, decoded JSON)."""
    async with http.post(f"{standin.base_url}{TOKEN}/{method}", **kwargs) as response:
        return response.status, await response.json()


async def test_get_me_shape(standin: BotApiStandin, http: aiohttp.ClientSession) -> None:
    status, body = await _call(http, standin, "getMe")
    assert status == 200
    assert body["ok"] is True
    me = body["result"]
    assert me["is_bot"] is True
    assert me["id"] == 123456
    for key in (
        "first_name",
        "username",
        "can_join_groups",
        "can_read_all_group_messages",
        "supports_inline_queries",
    ):
        assert key in me


async def test_get_method_and_case_insensitive_name(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{standin.base_url}{TOKEN}/getme") as response:
        assert response.status == 200
        assert (await response.json())["result"]["is_bot"] is True


async def test_wrong_token_and_unknown_method(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"{standin.base_url}999:WRONG/getMe") as response:
        assert response.status == 401
        assert await response.json() == {
            "ok": False,
            "error_code": 401,
            "description": "Unauthorized",
        }
    status, body = await _call(http, standin, "sendTelepathy")
    assert (status, body["description"]) == (404, "Not Found")


async def test_parameters_in_every_encoding(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", "7")
    form.add_field("text", "multipart")
    variants: list[dict[str, Any]] = [
        {"json": {"chat_id": 7, "text": "json"}},
        {"data": {"chat_id": "7", "text": "form"}},
        {"params": {"chat_id": "7", "text": "query"}},
        {"data": form},
    ]
    for variant in variants:
        status, body = await _call(http, standin, "sendMessage", **variant)
        assert status == 200, body
    assert [m.text for m in standin.sent] == ["json", "form", "query", "multipart"]
    assert [m.message_id for m in standin.sent] == [1, 2, 3, 4]


async def test_send_message_shape(standin: BotApiStandin, http: aiohttp.ClientSession) -> None:
    _, first = await _call(http, standin, "sendMessage", json={"chat_id": 5, "text": "a"})
    _, other = await _call(http, standin, "sendMessage", json={"chat_id": -100777, "text": "b"})
    _, second = await _call(http, standin, "sendMessage", json={"chat_id": 5, "text": "c"})
    message = first["result"]
    assert message["message_id"] == 1 and second["result"]["message_id"] == 2
    assert other["result"]["message_id"] == 1
    assert isinstance(message["date"], int)
    assert message["chat"] == {"id": 5, "type": "private"}
    assert other["result"]["chat"]["type"] == "supergroup"
    assert message["from"]["is_bot"] is True
    assert message["text"] == "a"


async def test_user_messages_share_the_chat_counter(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    standin.inject_update(make_text_update(8, "xin chào", message_id=41))
    _, body = await _call(http, standin, "sendMessage", json={"chat_id": 8, "text": "chào"})
    assert body["result"]["message_id"] == 42
    assert body["result"]["chat"]["first_name"]


async def test_html_is_parsed_into_entities(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    text = "<b>Góp ý</b> về <a href='https://example.vn'>dự thảo</a> &amp; luật"
    status, body = await _call(
        http, standin, "sendMessage", json={"chat_id": 5, "text": text, "parse_mode": "HTML"}
    )
    assert status == 200
    assert body["result"]["text"] == "Góp ý về dự thảo & luật"
    assert body["result"]["entities"] == [
        {"offset": 0, "length": 5, "type": "bold"},
        {"offset": 9, "length": 7, "type": "text_link", "url": "https://example.vn"},
    ]


async def test_malformed_html_is_refused(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    cases = {
        "<b>unclosed": 'Can\'t find end tag corresponding to start tag "b"',
        "line<br>break": 'Unsupported start tag "br" at byte offset 4',
        "<b><i>x</b></i>": 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
        "a < b": "Unclosed start tag at byte offset 2",
    }
    for text, detail in cases.items():
        status, body = await _call(
            http, standin, "sendMessage", json={"chat_id": 5, "text": text, "parse_mode": "HTML"}
        )
        assert status == 400
        assert body["description"] == f"Bad Request: can't parse entities: {detail}"
    assert standin.sent == []


async def test_text_length_is_counted_after_tags(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    fits = "<b>" + "ư" * 4096 + "</b>"
    status, _ = await _call(
        http, standin, "sendMessage", json={"chat_id": 5, "text": fits, "parse_mode": "HTML"}
    )
    assert status == 200
    status, body = await _call(
        http, standin, "sendMessage", json={"chat_id": 5, "text": "x" * 4097}
    )
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, body = await _call(http, standin, "sendMessage", json={"chat_id": 5, "text": "  "})
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")


async def test_callback_data_is_limited_in_bytes(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    vietnamese = "đồng ý với dự thảo nghị định"  # 28 characters, 40+ bytes
    data = vietnamese + "|" + vietnamese
    assert len(data) <= 64 < len(data.encode())
    markup = {"inline_keyboard": [[{"text": "Đồng ý", "callback_data": data}]]}
    status, body = await _call(
        http,
        standin,
        "sendMessage",
        json={"chat_id": 5, "text": "Bạn có đồng ý?", "reply_markup": markup},
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    markup["inline_keyboard"][0][0]["callback_data"] = vietnamese
    status, body = await _call(
        http,
        standin,
        "sendMessage",
        data={"chat_id": "5", "text": "Bạn có đồng ý?", "reply_markup": json.dumps(markup)},
    )
    assert status == 200
    assert body["result"]["reply_markup"] == markup


async def test_get_updates_offsets_and_confirmation(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    for text in ("một", "hai", "ba"):
        standin.inject_update(make_text_update(9, text))
    _, body = await _call(http, standin, "getUpdates", json={"limit": 2})
    assert [u["update_id"] for u in body["result"]] == [1, 2]
    _, body = await _call(http, standin, "getUpdates", json={"offset": 2})
    assert [u["message"]["text"] for u in body["result"]] == ["hai", "ba"]
    _, body = await _call(http, standin, "getUpdates", json={"offset": 4, "timeout": 0})
    assert body["result"] == []
    standin.inject_update(make_text_update(9, "bốn"))
    _, body = await _call(http, standin, "getUpdates", json={"offset": -1})
    assert [u["update_id"] for u in body["result"]] == [4]


async def test_control_endpoints(standin: BotApiStandin, http: aiohttp.ClientSession) -> None:
    root = standin.root_url
    async with http.post(f"{root}/_standin/updates", json=make_text_update(3, "/start")) as r:
        injected = (await r.json())["result"][0]
    assert injected["update_id"] == 1
    assert injected["message"]["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]
    await _call(http, standin, "sendMessage", json={"chat_id": 3, "text": "Chào bạn"})
    async with http.get(f"{root}/_standin/calls") as r:
        log = await r.json()
    assert [c["method"] for c in log["calls"]] == ["sendMessage"]
    assert log["sent"][0]["chat_id"] == 3
    assert log["sent"][0]["message_id"] == injected["message"]["message_id"] + 1
    async with http.post(f"{root}/_standin/faults", json={"blocked_chats": [3]}) as r:
        assert (await r.json())["blocked_chats"] == [3]
    status, body = await _call(http, standin, "sendMessage", json={"chat_id": 3, "text": "x"})
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    async with http.post(f"{root}/_standin/reset") as r:
        assert r.status == 200
    async with http.get(f"{root}/_standin/stats") as r:
        stats = await r.json()
    assert stats["calls"] == 0 and stats["violations"] == 0


async def test_allowed_updates_filter(standin: BotApiStandin, http: aiohttp.ClientSession) -> None:
    standin.inject_update(make_text_update(9, "tin nhắn"))
    standin.inject_update({"callback_query": {"id": "1", "from": {}, "chat_instance": "1"}})
    _, body = await _call(http, standin, "getUpdates", json={"allowed_updates": ["callback_query"]})
    assert [list(u)[1] for u in body["result"]] == ["callback_query"]
    _, body = await _call(http, standin, "getUpdates", json={"allowed_updates": []})
    assert [list(u)[1] for u in body["result"]] == ["callback_query"], "filtered ones are gone"


async def test_limits_endpoint(standin: BotApiStandin, http: aiohttp.ClientSession) -> None:
    url = f"{standin.root_url}/_standin/limits"
    async with http.post(url, json={"enabled": True, "private_burst": 1}) as response:
        assert (await response.json())["private_burst"] == 1
    await _call(http, standin, "sendMessage", json={"chat_id": 5, "text": "một"})
    status, body = await _call(http, standin, "sendMessage", json={"chat_id": 5, "text": "hai"})
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
