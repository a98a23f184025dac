"""Update builders produce what PTB parses, and the HTML parser matches Telegram's rules."""

from __future__ import annotations

import pytest
from telegram import Bot, Update

from bot.telegram.standin import (
    BotApiStandin,
    command_entities,
    make_callback_update,
    make_group_message,
    make_photo_update,
    make_text_update,
    make_user,
    make_voice_update,
)
from bot.telegram.standin.html import HtmlError, parse_html


def _parse(update: dict[str, object], update_id: int = 1) -> Update:
    parsed = Update.de_json({"update_id": update_id, **update}, None)
    assert parsed is not None
    return parsed


def test_text_update_shape() -> None:
    user = make_user(42, "Lan", last_name="Nguyễn", username="lan_ng")
    update = _parse(make_text_update(42, "/start ref_1", user=user))
    message = update.message
    assert message is not None and message.chat.type == "private"
    assert message.from_user is not None and message.from_user.language_code == "vi"
    assert message.chat.first_name == "Lan" and message.chat.last_name == "Nguyễn"
    assert message.entities[0].type == "bot_command"
    assert message.parse_entities() == {message.entities[0]: "/start"}


def test_command_entities_use_utf16_offsets() -> None:
    text = "😀 /help@consult_bot và /góp"
    assert command_entities(text) == [{"offset": 3, "length": 17, "type": "bot_command"}]


def test_group_callback_photo_voice_shapes() -> None:
    group = _parse(make_group_message(-1001234567890, "Xin chào nhóm", title="Tổ dân phố"))
    assert group.effective_chat is not None and group.effective_chat.type == "supergroup"
    assert group.effective_chat.title == "Tổ dân phố"
    assert _parse(make_group_message(-4242, "hi")).effective_chat.type == "group"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="negative"):
        make_group_message(5, "x")
    query = _parse(make_callback_update(7, "vote:1", 12)).callback_query
    assert query is not None and query.data == "vote:1" and query.message is not None
    photo = _parse(make_photo_update(7, caption="Ảnh")).message
    assert photo is not None and [p.width for p in photo.photo] == [90, 320, 1280]
    voice = _parse(make_voice_update(7, duration=4)).message
    assert voice is not None and voice.voice is not None and voice.voice.mime_type == "audio/ogg"


async def test_injected_files_can_be_fetched(standin: BotApiStandin, bot: Bot) -> None:
    update = standin.inject_update(make_voice_update(7))
    file = await bot.get_file(update["message"]["voice"]["file_id"])
    assert file.file_path and file.file_path.startswith(standin.file_base_url)


def test_html_entities_and_nesting() -> None:
    text, entities = parse_html(
        '<b>a<i>b</i></b> <tg-spoiler>c</tg-spoiler> <pre><code class="language-python">'
        'x</code></pre> &lt;&#33;&gt; &nbsp; <a href="tg://user?id=5">d</a>'
    )
    assert text == "ab c x <!> &nbsp; d"
    assert entities == [
        {"offset": 0, "length": 2, "type": "bold"},
        {"offset": 1, "length": 1, "type": "italic"},
        {"offset": 3, "length": 1, "type": "spoiler"},
        {"offset": 5, "length": 1, "type": "pre", "language": "python"},
        {"offset": 18, "length": 1, "type": "text_mention", "user": {"id": 5}},
    ]


@pytest.mark.parametrize(
    "markup",
    ["<span>x</span>", "<b>x</i>", "</b>", "<div>x</div>", "<b>x", "x <"],
)
def test_html_errors(markup: str) -> None:
    with pytest.raises(HtmlError):
        parse_html(markup)
