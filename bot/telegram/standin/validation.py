"""Validation of message content the way the Bot API does it, with Telegram's error texts.

Only what a consultation bot can plausibly get wrong is checked: empty or over-long text,
malformed HTML, and inline keyboards (callback_data is limited to 64 *bytes*, so 30 Vietnamese
characters with diacritics can already be too long).
"""

from __future__ import annotations

from typing import Any

from .html import HtmlError, parse_html
from .protocol import ApiError, Params, bad_request

__all__ = [
    "CAPTION_LIMIT",
    "TEXT_LIMIT",
    "parse_formatted",
    "validate_reply_markup",
]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})


def parse_formatted(
    params: Params, text_key: str, *, limit: int, required: bool
) -> tuple[str | None, list[dict[str, Any]]]:
    """Validate text or caption with its parse_mode; return plain text and entities."""
    text = params.get_str(text_key)
    if text is None:
        if required:
            raise bad_request("message text is empty")
        return None, []
    mode = (params.get_str("parse_mode") or "").lower()
    entities: list[dict[str, Any]] = []
    if mode and mode not in _PARSE_MODES:
        raise bad_request(f"unsupported parse_mode {params.get_str('parse_mode')}")
    if mode == "html":
        try:
            text, entities = parse_html(text)
        except HtmlError as err:
            raise bad_request(f"can't parse entities: {err}") from None
    elif params.has("entities" if text_key == "text" else "caption_entities"):
        given = params.get_json("entities" if text_key == "text" else "caption_entities")
        entities = given if isinstance(given, list) else []
    if not text.strip():
        if required:
            raise bad_request("message text is empty")
        return None, []
    if len(text) > limit:
        what = "message is too long" if text_key == "text" else "message caption is too long"
        raise bad_request(what)
    return text, entities


def _validate_button(button: Any) -> None:
    """One inline keyboard button: text plus exactly the data Telegram can act on."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a string")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = _BUTTON_ACTIONS.intersection(button)
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request("BUTTON_URL_INVALID")


def _validate_inline_keyboard(rows: Any) -> None:
    """An inline keyboard is a list of rows, each a list of buttons."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            _validate_button(button)


def validate_reply_markup(params: Params) -> dict[str, Any] | None:
    """Parse and check ``reply_markup``; returns it as a dict for the stored message."""
    try:
        markup = params.get_json("reply_markup")
    except ApiError:
        raise bad_request("can't parse reply keyboard markup JSON object") from None
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"])
    elif not {"keyboard", "remove_keyboard", "force_reply"}.intersection(markup):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup
