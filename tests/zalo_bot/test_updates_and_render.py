"""Zalo Bot payload shapes as events, and replies as texts within the platform's limit."""

from __future__ import annotations

import pytest

from bot.zalo_bot.render import render, units
from bot.zalo_bot.standin import (
    make_group_text_update,
    make_image_update,
    make_message,
    make_text_update,
    make_update,
    wrap,
)
from bot.zalo_bot.updates import MalformedUpdate, classify, unwrap
from handlers.messages import Attachment, Button, Reply


def test_documented_and_bare_webhook_bodies_carry_the_same_update() -> None:
    update = make_text_update("u1", "Xin chào")
    assert unwrap(wrap(update)) == unwrap(update) == update
    bodies: list[object] = [[update], "text", {"ok": True, "result": []}, {"message": {}}]
    for body in bodies:
        with pytest.raises(MalformedUpdate):
            unwrap(body)


def test_event_id_is_event_name_and_message_id() -> None:
    update = make_text_update("u1", "Xin chào", message_id="2d758cb5e222177a4e35")
    citizen = classify(update).citizen
    assert citizen is not None
    assert citizen.event_id == "message.text.received:2d758cb5e222177a4e35"
    assert (citizen.channel, citizen.user_ref, citizen.text) == ("zalo_bot", "u1", "Xin chào")


def test_photo_address_is_read_from_photo_url_or_the_documented_photo() -> None:
    observed = classify(make_image_update("u1", "https://cdn/a.jpg", "Điều 3 sai")).citizen
    documented = classify(make_update("message.image.received",
                                      make_message("u1", photo="https://cdn/b.jpg"))).citizen
    assert observed is not None and documented is not None
    assert observed.attachments == (Attachment("photo", "https://cdn/a.jpg"),)
    assert observed.text == "Điều 3 sai"
    assert documented.attachments == (Attachment("photo", "https://cdn/b.jpg"),)
    assert documented.text is None


@pytest.mark.parametrize(
    ("event", "fields", "kind"),
    [
        ("message.sticker.received", {"sticker": "abc"}, "sticker"),
        ("message.unsupported.received", {}, "other"),
        ("message.unsupported.received", {"message_type": "voice"}, "voice"),
        ("message.video.received", {}, "video"),
        ("message.image.received", {}, "other"),
        ("message.file.received", {}, "other"),
    ],
)
def test_what_we_cannot_take_is_named_for_a_polite_answer(
    event: str, fields: dict[str, str], kind: str
) -> None:
    citizen = classify(make_update(event, make_message("u1", **fields))).citizen
    assert citizen is not None and citizen.unsupported == kind, citizen


def test_commands_staff_work_groups_and_bots() -> None:
    start = classify(make_text_update("u1", "/start")).citizen
    assert start is not None and start.action == "start"
    answer = classify(make_text_update("u1", "/traloi 3 Có."))
    assert answer.staff is not None and answer.staff.text == "/traloi 3 Có."
    assert answer.citizen is not None, "a non-staff sender falls back to the citizen flow"
    group = classify(make_group_text_update("g1", "u1", "mọi người góp ý đi"))
    assert group.ignored and group.citizen is None, "group chatter is not a citizen's event"
    group_command = classify(make_group_text_update("g1", "u1", "/cauhoi"))
    assert group_command.staff is not None and group_command.staff.is_group
    bot = make_text_update("u1", "hi")
    bot["message"]["from"]["is_bot"] = True
    assert classify(bot).ignored == "message from a bot"


def test_buttons_become_numbered_lines_under_the_text() -> None:
    reply = Reply("Bạn muốn làm gì?", ((Button("Xem dự thảo", "rounds"), Button("Hỏi", "ask")),))
    assert render(reply.to_payload()) == ["Bạn muốn làm gì?\n\n1. Xem dự thảo\n2. Hỏi"]


def test_long_texts_are_split_within_two_thousand_utf16_units_options_last() -> None:
    paragraph = "Câu trả lời của Sở về việc đăng ký hộ kinh doanh 🙂. " * 20
    reply = Reply("\n".join([paragraph] * 4), ((Button("Menu", "menu"),),))
    parts = render(reply.to_payload())
    assert len(parts) >= 3 and all(units(part) <= 2000 for part in parts), [
        units(part) for part in parts
    ]
    assert parts[-1].endswith("1. Menu") and not any("1. Menu" in p for p in parts[:-1])
    emoji_only = render(Reply("😀" * 1500).to_payload())
    assert all(units(part) <= 2000 for part in emoji_only), "emoji count as two units"


def test_an_https_attachment_becomes_a_link_and_an_empty_reply_is_not_empty() -> None:
    reply = Reply("Bản dự thảo", attachment={"url": "https://gopy.example/d.pdf", "name": "d.pdf"})
    assert render(reply.to_payload()) == ["Bản dự thảo\n\n📎 d.pdf: https://gopy.example/d.pdf"]
    assert render(Reply("").to_payload()) == ["…"]
